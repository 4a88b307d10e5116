"""The development commands (bench, soak, generate_demo) come with the default settings, never with production's."""

import os
import subprocess
import sys

from tests.conftest import REPO

DEVELOPMENT_COMMANDS = {"bench", "soak", "generate_demo"}
OPERATORS_COMMANDS = {"build_fixtures", "import_ninjs", "ingest", "loaddata", "load_seed", "ensure_superuser"}
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x7$Kq9!vR2#mW4&pZ8*tB1^nY6@cF3%hJ5(dL0)sG9-aE2+uQ7=iO4",
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
}


def manage(*args, **env):
    """Run manage.py in a fresh process with these settings variables (and no others of the caller's)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=base, capture_output=True, text=True, timeout=120
    )


def test_the_default_settings_offer_the_development_commands():
    result = manage("help", "--commands")
    assert result.returncode == 0, result.stderr
    commands = set(result.stdout.split())
    assert DEVELOPMENT_COMMANDS | OPERATORS_COMMANDS <= commands


def test_the_production_profile_offers_none_of_them():
    result = manage("help", "--commands", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    commands = set(result.stdout.split())
    assert OPERATORS_COMMANDS <= commands
    assert not DEVELOPMENT_COMMANDS & commands
    refused = manage("generate_demo", "--articles", "1", **PRODUCTION)
    assert refused.returncode != 0
    assert "Unknown command: 'generate_demo'" in refused.stderr


def test_the_bench_report_sets_each_database_beside_the_other_and_reads_the_targets(tmp_path):
    import io
    import json

    from django.core.management import call_command

    def run(label, article, home, cached, sitemap, sitemap_static):
        # (page, mode, req/s, p50, p99, queries, bytes, × static, errors, × same size); static runs at 1,000.
        rows = [
            ["home", "uncached", home, 1, 2, 5, 20000, home / 1000, 0, home / 1000],
            ["article", "uncached", article, 1, 2, 1, 14000, article / 1000, 0, article / 1000],
            ["static", "uncached", 1000, 1, 2, 0, 14000, 1.0, 0, 1.0],
            ["article", "cached", cached, 1, 2, 0, 14000, cached / 1000, 0, cached / 1000],
            ["sitemap", "cached", sitemap, 1, 2, 0, 700000, sitemap / 1000, 0, sitemap / sitemap_static],
        ]
        path = tmp_path / f"{label}.json"
        path.write_text(json.dumps({"label": label, "setup": f"{label} setup", "rows": rows}))
        return str(path)

    first = run("SQLite", article=300, home=200, cached=1100, sitemap=400, sitemap_static=450)
    second = run("PostgreSQL + Redis", article=240, home=160, cached=900, sitemap=300, sitemap_static=450)
    out = io.StringIO()
    call_command("bench", "--report", first, second, stdout=out)
    report = out.getvalue()
    article_row = next(line for line in report.splitlines() if line.startswith("article") and "uncached" in line)
    assert article_row.split()[2:] == ["300", "0.30", "0.30", "240", "0.24", "0.24"]
    assert "SQLite: uncached article ≥ 0.25× static: lowest 0.30× — met" in report
    assert "PostgreSQL + Redis: uncached article ≥ 0.25× static: lowest 0.24× — NOT met" in report
    # A sitemap page of 700 KB is held to a static file of its own size: 400 / 450 = 0.89.
    assert "SQLite: any cached page ≥ 0.8× static: lowest 0.89× — met" in report
    assert "PostgreSQL + Redis: any cached page ≥ 0.8× static: lowest 0.67× — NOT met" in report
