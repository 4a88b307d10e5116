"""A newsroom's day behind Varnish: readers on a Zipf mix of addresses while the desk publishes or corrects
a story every few seconds, once with targeted purges and once purging every page, side by side.

`make bench-day` runs it on the demo database (PostgreSQL + Redis when DATABASE_URL and REDIS_URL name
them). It starts gunicorn, the background worker and Varnish itself, drives them with wrk, and prints
from each run: Varnish's hit rate, the app's requests a second, the readers' p50 and p99, the count of
5xx answers, and how long a change took to be seen through Varnish (p50 and p95).
"""

import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Authorship, Correction, Person, Section

# The readers' mix, by kind of page.
MIX = {"article": 0.70, "front": 0.15, "tag or person": 0.10, "feed": 0.05}
SEQUENCE_LENGTH = 200_000
VISIBLE_WITHIN = 30.0  # seconds: a change not seen by then counts as this long

WRK_SCRIPT = """
-- Each thread walks the address sequence from its own starting point and counts 5xx answers.
local paths = {}
local at = 0
fivexx = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  at = math.random(#paths)
end

function request()
  at = at % #paths + 1
  return wrk.format("GET", paths[at])
end

function response(status, headers, body)
  if status >= 500 then fivexx = fivexx + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("fivexx") end
  io.write(string.format("5xx: %d\\n", total))
end
"""


def free_ports(count):
    """Return ``count`` distinct ports free now (each held until all are chosen, so none comes twice)."""
    import socket

    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def zipf_choices(rng, items, count):
    """Draw ``count`` items, the n-th of the list with a weight of 1/n."""
    if not items:
        return []
    weights = [1 / rank for rank in range(1, len(items) + 1)]
    return rng.choices(items, weights=weights, k=count)


class Command(BaseCommand):
    help = "A newsroom's day behind Varnish, targeted purges against purging every page (see README)."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=float, default=300, help="seconds of reading per run")
        parser.add_argument("--every", type=float, default=10, help="seconds between the desk's changes")
        parser.add_argument("--warmup", type=float, default=30, help="seconds of reading before measuring")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--addresses", type=int, default=4000, help="distinct addresses readers ask for")
        parser.add_argument("--modes", default="targeted,everything")
        parser.add_argument("--save", help="write the figures to this JSON file")

    def handle(self, *args, duration, every, warmup, connections, workers, addresses, modes, save, **options):
        for program in ("wrk", "varnishd", "varnishstat"):
            if not shutil.which(program):
                raise CommandError(f"{program} is not installed (Debian: apt-get install wrk varnish varnish-modules)")
        if not Article.objects.published().exists():
            raise CommandError("no published stories: run manage.py generate_demo first")
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-day-"))
        self.folder.chmod(0o755)  # varnishd reads its VCL as its own unprivileged user
        paths = self.address_sequence(addresses)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        cache = "Redis" if os.environ.get("REDIS_URL") else "per-process memory"
        self.stdout.write(
            f"{Article.objects.count():,} stories on {engine} with {cache}; {len(set(paths)):,} addresses "
            f"({', '.join(f'{share:.0%} {kind}' for kind, share in MIX.items())}); wrk -c{connections}, "
            f"gunicorn -w{workers}; a change every {every:g} s for {duration:g} s after {warmup:g} s of warming."
        )
        runs = {}
        try:
            for mode in modes.split(","):
                runs[mode] = self.run_day(mode, duration, every, warmup, connections, workers)
                self.stdout.write(f"{mode}: {json.dumps(runs[mode])}")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.report(runs)
        if save:
            Path(save).parent.mkdir(parents=True, exist_ok=True)
            Path(save).write_text(json.dumps(runs, indent=2))

    # The readers' addresses.

    def address_sequence(self, count):
        """Write the readers' requests, in order, to a file; return them."""
        rng = random.Random(2026)
        published = Article.objects.published().select_related("primary_section").order_by("-published_at", "-pk")
        stories = [a.get_absolute_url() for a in published[: int(count * MIX["article"])]]
        sections = [s.get_absolute_url() for s in Section.objects.order_by("path")]
        fronts = ["/", *sections] + [f"{url}?page={n}" for n in (2, 3) for url in ["/", *sections]]
        people = [
            p.get_absolute_url() for p in Person.objects.order_by("-pk")[: int(count * MIX["tag or person"] / 2)]
        ]
        tags = [f"/tags/{slug}/" for slug in Tag.objects.order_by("-pk").values_list("slug", flat=True)[: len(people)]]
        tags_and_people = [address for pair in zip(tags, people, strict=False) for address in pair]
        feeds = ["/feeds/rss.xml", "/feeds/atom.xml"] + [
            f"/feeds/sections/{path}/rss.xml" for path in Section.objects.values_list("path", flat=True)
        ]
        pools = {"article": stories, "front": fronts, "tag or person": tags_and_people, "feed": feeds}
        self.popular_stories = list(published[:50])
        sequence = []
        for kind, share in MIX.items():
            sequence += zipf_choices(rng, pools[kind], int(SEQUENCE_LENGTH * share))
        rng.shuffle(sequence)
        (self.folder / "paths.txt").write_text("\n".join(sequence) + "\n")
        (self.folder / "day.lua").write_text(WRK_SCRIPT)
        return sequence

    # One run.

    def run_day(self, mode, duration, every, warmup, connections, workers):
        app_port, cdn_port = free_ports(2)
        cdn = f"http://127.0.0.1:{cdn_port}"
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "NEWSROOM_PURGE": mode,
            "DJANGO_VARNISH_SERVERS": cdn,
            "DJANGO_TRUSTED_PROXY_HOPS": "1",
            "DJANGO_SEARCH_RATE_LIMIT": "0",
            "DJANGO_API_RATE_LIMIT": "0",
        }
        # This process is the desk: its changes purge as the site's would.
        settings.NEWSROOM["PURGE"] = mode
        settings.NEWSROOM["PURGE_ADAPTERS"] = [
            {"BACKEND": "articles.platform.purge.VarnishAdapter", "OPTIONS": {"servers": [cdn]}}
        ]
        run = self.folder / mode
        (run / "vcl").mkdir(parents=True)
        manage = [sys.executable, "manage.py"]
        subprocess.run(
            [*manage, "varnish_vcl", "--backend", f"127.0.0.1:{app_port}", "--output", str(run / "vcl")],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        # The repository's VCL beside this run's site include, and nothing else on the path to include from.
        shutil.copy(settings.BASE_DIR / "deploy" / "varnish" / "newsroom.vcl", run / "vcl" / "newsroom.vcl")
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "-w", str(workers)]
                + ["-b", f"127.0.0.1:{app_port}", "--log-level", "warning"],
                cwd=settings.BASE_DIR,
                env=env,
            ),
            subprocess.Popen(
                [*manage, "worker", "--interval", "0.1"], cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL
            ),
            subprocess.Popen(
                ["varnishd", "-F", "-n", str(run / "varnish"), "-a", f"127.0.0.1:{cdn_port}", "-s", "malloc,1g"]
                + ["-p", f"vcl_path={run / 'vcl'}", "-f", str(run / "vcl" / "newsroom.vcl")],
                stdout=subprocess.DEVNULL,
                env=env,
            ),
        ]
        try:
            self.wait_for(app_port)
            self.wait_for(cdn_port)
            self.wrk(cdn, warmup, connections)
            before = self.varnish_counters(run / "varnish")
            changes = []
            reading = {}
            readers = threading.Thread(target=lambda: reading.update(self.wrk(cdn, duration, connections)))
            started = time.monotonic()
            readers.start()
            n = 0
            while time.monotonic() - started + every <= duration:
                time.sleep(max(0.0, started + (n + 1) * every - time.monotonic()))
                changes.append(self.change(n, cdn_port))
                n += 1
            readers.join()
            after = self.varnish_counters(run / "varnish")
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        hits = after["MAIN.cache_hit"] - before["MAIN.cache_hit"]
        misses = after["MAIN.cache_miss"] - before["MAIN.cache_miss"]
        seen = sorted(changes)
        return {
            "hit_rate": round(hits / max(1, hits + misses), 4),
            "app_requests_per_second": round((after["MAIN.backend_req"] - before["MAIN.backend_req"]) / duration, 1),
            "readers_requests_per_second": reading["rps"],
            "p50_ms": reading["p50"],
            "p99_ms": reading["p99"],
            "5xx": reading["5xx"],
            "changes": len(seen),
            "visible_p50_s": round(statistics.median(seen), 3) if seen else None,
            "visible_p95_s": round(seen[min(len(seen) - 1, int(0.95 * len(seen)))], 3) if seen else None,
        }

    def change(self, n, cdn_port):
        """Publish a new story (even turns) or correct a popular one (odd turns); return the seconds until a
        reader sees it through Varnish: the new headline on the home page, the correction on the story."""
        marker = f"bench-day-{time.time_ns()}"
        if n % 2 == 0:
            model = self.popular_stories[n % len(self.popular_stories)]
            with transaction.atomic():
                story = Article.objects.create(
                    headline=f"Breaking {marker}",
                    slug=marker,
                    dek="Published during the benchmark.",
                    body="<p>A story published while readers read.</p>",
                    status=Article.Status.PUBLISHED,
                    published_at=timezone.now() - timedelta(seconds=1),
                    primary_section=model.primary_section,
                )
                for person_id in model.authorships.values_list("person_id", flat=True):
                    Authorship.objects.create(article=story, person_id=person_id)
                story.tags.set(list(model.tags.all()))
            address, words = "/", marker
        else:
            story = self.popular_stories[n % len(self.popular_stories)]
            with transaction.atomic():
                Correction.objects.create(article=story, text=f"An earlier version misstated a figure ({marker}).")
            address, words = story.get_absolute_url(), marker
        committed = time.monotonic()
        while time.monotonic() - committed < VISIBLE_WITHIN:
            connection = http.client.HTTPConnection("127.0.0.1", cdn_port, timeout=10)
            try:
                connection.request("GET", address)
                if words in connection.getresponse().read().decode(errors="replace"):
                    return time.monotonic() - committed
            finally:
                connection.close()
            time.sleep(0.05)
        return VISIBLE_WITHIN

    # Tools.

    def wait_for(self, port):
        last = None
        for _ in range(600):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/")
                response = connection.getresponse()
                last = f"{response.status} {response.getheaders()} {response.read()[:300]}"
                if response.status == 200:
                    return
            except OSError as error:
                last = error
            time.sleep(0.1)
        raise CommandError(f"nothing answered 200 on port {port} ({last})")

    def wrk(self, base, seconds, connections):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", str(self.folder / "day.lua")]
            + [base, "--", str(self.folder / "paths.txt")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return {
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": self.ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
            "p99": self.ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
            "5xx": int(re.search(r"5xx: (\d+)", out).group(1)),
        }

    @staticmethod
    def ms(text):
        value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)

    def varnish_counters(self, name):
        out = subprocess.run(
            ["varnishstat", "-n", str(name), "-1", "-f", "MAIN.cache_hit", "-f", "MAIN.cache_miss"]
            + ["-f", "MAIN.backend_req"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return {line.split()[0]: int(line.split()[1]) for line in out.splitlines() if line.strip()}

    def report(self, runs):
        rows = [
            ("Varnish hit rate", "hit_rate", "{:.3f}"),
            ("app requests/s (Varnish to gunicorn)", "app_requests_per_second", "{:,.0f}"),
            ("readers' requests/s", "readers_requests_per_second", "{:,.0f}"),
            ("readers' p50 (ms)", "p50_ms", "{:.1f}"),
            ("readers' p99 (ms)", "p99_ms", "{:.1f}"),
            ("5xx answers", "5xx", "{:d}"),
            ("changes made", "changes", "{:d}"),
            ("change seen through Varnish, p50 (s)", "visible_p50_s", "{:.2f}"),
            ("change seen through Varnish, p95 (s)", "visible_p95_s", "{:.2f}"),
        ]
        modes = list(runs)
        self.stdout.write("\n| | " + " | ".join(modes) + " |\n|---|" + "---|" * len(modes))
        for label, key, form in rows:
            cells = [form.format(runs[m][key]) if runs[m][key] is not None else "-" for m in modes]
            self.stdout.write(f"| {label} | " + " | ".join(cells) + " |")
        targeted = runs.get("targeted")
        if targeted:
            self.stdout.write("")
            for goal, met in (
                ("hit rate >= 0.95 with targeted purges", targeted["hit_rate"] >= 0.95),
                ("a change seen through Varnish within 2 s (p95)", (targeted["visible_p95_s"] or 99) <= 2),
                ("no 5xx", all(run["5xx"] == 0 for run in runs.values())),
            ):
                self.stdout.write(f"{'met' if met else 'NOT met'}: {goal}")
