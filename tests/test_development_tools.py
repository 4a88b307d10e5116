"""The development commands (bench, soak, generate_demo) come with the default settings, never with production's."""

import os
import subprocess
import sys

from tests.conftest import REPO

DEVELOPMENT_COMMANDS = {"bench", "soak", "generate_demo"}
OPERATORS_COMMANDS = {"build_fixtures", "import_ninjs", "loaddata", "load_seed", "ensure_superuser"}
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
