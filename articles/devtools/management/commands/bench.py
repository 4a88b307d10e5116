"""Benchmark the site the way production serves it: gunicorn, DEBUG off, collected static files.

Prints, from one run, requests per second, p50 and p99 latency, queries per request and bytes for
each page type, with and without the page cache, beside a static file of the article page's size
served by WhiteNoise from the same server, and each page's ratio to that file.
"""

import http.client
import io
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.interchange import formats
from articles.models import Article, Person, Section
from articles.platform.cache import content_version

STATIC_NAME = "bench/article-size.html"
FORM = "application/x-www-form-urlencoded"


def article_form_values(article):
    """Return the story's editable fields as its change form posts them (times split in date and time).

    The autosave endpoint keeps those its form has and drops the rest, as it does for a browser's post.
    """
    values = {}
    for field in Article._meta.concrete_fields:
        if not field.editable or field.primary_key:
            continue
        value = getattr(article, field.attname)
        if hasattr(value, "tzinfo"):
            values[f"{field.name}_0"], values[f"{field.name}_1"] = f"{value:%Y-%m-%d}", f"{value:%H:%M:%S}"
        else:
            values[field.name] = value
    return values


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = "Benchmark page types under gunicorn against a static file of the same size (see README)."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=float, default=5.0, help="Seconds of load per page (default 5).")
        parser.add_argument("--connections", type=int, default=8, help="Concurrent connections (default 8).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2).")
        parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
        parser.add_argument("--save", metavar="FILE", help="Also write the figures to FILE (JSON), for --report.")
        parser.add_argument(
            "--report",
            nargs="+",
            metavar="FILE",
            help="Measure nothing: print the figures saved by earlier runs (one a database) side by side.",
        )
        parser.add_argument(
            "--ingest-items",
            type=int,
            default=10000,
            help="Wire items for the ingest figures (default 10,000; 0 skips them). Nothing ingested is kept.",
        )
        parser.add_argument(
            "--autosaves",
            type=int,
            default=200,
            help="Autosave posts for the desk figure (default 200; 0 skips it). Nothing posted is kept.",
        )
        parser.add_argument(
            "--wire-files",
            type=int,
            default=200,
            help="Wire files for the fixture figures (default 200; 0 skips them).",
        )

    def handle(
        self,
        *args,
        duration,
        connections,
        workers,
        client,
        wire_files,
        save,
        report,
        ingest_items,
        autosaves,
        **options,
    ):
        if report:
            self.report([json.loads(Path(name).read_text(encoding="utf-8")) for name in report])
            return
        if not Article.objects.published().exists():
            raise CommandError("no published stories: run generate_demo --articles N first")
        use_wrk = client == "wrk" or (client == "auto" and shutil.which("wrk"))
        if client == "wrk" and not shutil.which("wrk"):
            raise CommandError("wrk is not installed (Debian: apt-get install wrk)")
        pages = self.pages()
        measured = self.measure_in_process(pages)
        static_root = Path(settings.STATIC_ROOT)
        target = static_root / STATIC_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"<!doctype html>" + b"x" * max(measured["article"][1] - 15, 0))
        pages["static"] = "/" + settings.STATIC_URL.strip("/") + "/" + STATIC_NAME
        measured["static"] = (0, target.stat().st_size)
        # A page far larger than a story (a sitemap page of 5,000 addresses) is also set beside a static
        # file of its own size: what it costs to send that many bytes is not the application's doing.
        same_size = {}
        for name in list(measured):
            if measured[name][1] > 4 * measured["article"][1]:
                big = static_root / f"bench/{name}-size.html"
                big.write_bytes(b"<!doctype html>" + b"x" * (measured[name][1] - 15))
                pages[f"static:{name}"] = "/" + settings.STATIC_URL.strip("/") + f"/bench/{name}-size.html"
                measured[f"static:{name}"] = (0, big.stat().st_size)
                same_size[name] = f"static:{name}"

        articles = Article.objects.count()
        cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        setup = (
            f"{articles:,} stories on {connection.vendor} with {cache_backend}, gunicorn {workers} sync workers, "
            f"{connections} connections, {duration:g} s a page, client {'wrk' if use_wrk else 'python'}, "
            f"{os.cpu_count()} cores (the load generator shares them)"
        )
        self.stdout.write(f"Newsroom bench: {setup}.")
        rows = []
        for cached in (False, True):
            with self.server(workers, cached) as base:
                results = {}
                for name, path in pages.items():
                    run = self.wrk if use_wrk else self.python_load
                    before = content_version()
                    results[name] = run(base + path, duration, connections)
                    if content_version() != before:
                        self.stderr.write(
                            f"The content changed while {name} was measured: its figures are not steady."
                        )
                static_rps = results["static"][0]
                for name, (rps, p50, p99, errors) in results.items():
                    queries, size = measured[name]
                    own_static = results[same_size.get(name, "static")][0]
                    rows.append(
                        (
                            name,
                            "cached" if cached else "uncached",
                            rps,
                            p50,
                            p99,
                            queries if not cached else 0,
                            size,
                            rps / static_rps if static_rps else 0,
                            errors,
                            rps / own_static if own_static else 0,
                        )
                    )
        self.table(rows)
        if save:
            database = (
                "SQLite"
                if connection.vendor == "sqlite"
                else "PostgreSQL"
                if connection.vendor == "postgresql"
                else connection.vendor
            )
            shared = "Redis" if "redis" in settings.CACHES["default"]["BACKEND"].lower() else ""
            label = f"{database} + {shared}" if shared else database
            Path(save).parent.mkdir(parents=True, exist_ok=True)
            Path(save).write_text(
                json.dumps({"label": label, "setup": setup, "rows": rows}, indent=1), encoding="utf-8"
            )
        ingest = self.ingest_figures(ingest_items) if ingest_items else {}
        desk = self.autosave_figures(autosaves) if autosaves else {}
        if save:
            saved = json.loads(Path(save).read_text(encoding="utf-8"))
            Path(save).write_text(json.dumps({**saved, "ingest": ingest, "desk": desk}, indent=1), encoding="utf-8")
        if wire_files:
            self.fixture_figures(wire_files)

    def fixture_figures(self, files):
        """Print wire files per second through build_fixtures and rows per second through loaddata.

        The committed wire copy, repeated under new wire ids and headlines, goes through build_fixtures
        in this process; the fixture then loads into a new, empty SQLite database in another.
        """
        wire = sorted((Path(settings.BASE_DIR) / "fixtures" / "wire").glob("*.txt"))
        with tempfile.TemporaryDirectory() as scratch:
            scratch = Path(scratch)
            (scratch / "wire").mkdir()
            for n in range(files):
                headline, rest = wire[n % len(wire)].read_text(encoding="utf-8").split("\n", 1)
                copy = scratch / "wire" / f"{n:04d}_bench{n:08x}.txt"
                copy.write_text(f"{headline} ({n})\n{rest}", encoding="utf-8")
            fixture = scratch / "bench.json"
            started = time.perf_counter()
            call_command(
                "build_fixtures",
                str(scratch / "wire"),
                f"--output={fixture}",
                "--section=news/bench",
                "--published-at=2025-07-25T10:00:00Z",
                "--no-progress",
                stdout=io.StringIO(),
            )
            built = time.perf_counter() - started
            rows = len(json.loads(fixture.read_text(encoding="utf-8")))
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{scratch / 'load.sqlite3'}",
                "DJANGO_CONTENT_VERSION_FILE": str(scratch / "content-version"),
                "REDIS_URL": "",
            }
            manage = [sys.executable, "manage.py"]
            subprocess.run([*manage, "migrate", "-v", "0"], cwd=settings.BASE_DIR, env=env, check=True)
            timed_load = (
                "import time; from django.core.management import call_command; started = time.perf_counter(); "
                f"call_command('loaddata', {str(fixture)!r}, verbosity=0); print(time.perf_counter() - started)"
            )
            loaded = subprocess.run(
                [*manage, "shell", "-c", timed_load],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            seconds = float(loaded.stdout.strip().splitlines()[-1])
        self.stdout.write(
            f"\nFixtures: build_fixtures turned {files} wire files into {rows:,} rows in {built:.2f} s "
            f"({files / built:,.0f} files/s); loaddata loaded them into an empty SQLite database in {seconds:.2f} s "
            f"({rows / seconds:,.0f} rows/s)."
        )

    def ingest_figures(self, items):
        """Print files/s through each format's reader, and items/s into the queue on this database.

        The readers run on the committed wire copy and on each format's files in ../shared/wire-formats/
        when that folder is there. The queue figure ingests `items` plain-text files (the committed copy
        under new names) with manage.py ingest inside a transaction that is then rolled back.
        """
        samples = {"text": sorted((Path(settings.BASE_DIR) / "fixtures" / "wire").glob("*.txt"))}
        shared = Path(settings.BASE_DIR).parent / "shared" / "wire-formats"
        for folder in sorted(shared.iterdir()) if shared.is_dir() else ():
            if folder.is_dir() and not folder.name.startswith("iptc-"):
                samples[folder.name] = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".md")
        figures = {"readers": {}}
        self.stdout.write("\nIngest: files/s (items/s) through each reader, in this process:")
        for name, paths in samples.items():
            blobs = [(p.name, p.read_bytes()) for p in paths]
            files = found = 0
            started = time.perf_counter()
            while time.perf_counter() - started < 1.0:
                for filename, data in blobs:
                    try:
                        found += sum(1 for _ in formats.read(data, filename=filename))
                    except formats.FormatError:
                        pass
                    files += 1
            seconds = time.perf_counter() - started
            figures["readers"][name] = (files / seconds, found / seconds)
            self.stdout.write(f"  {name:<10}{files / seconds:>9,.0f} files/s{found / seconds:>9,.0f} items/s")
        wire = samples["text"]
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            for n in range(items):
                headline, rest = wire[n % len(wire)].read_text(encoding="utf-8").split("\n", 1)
                (folder / f"bench-{n:06d}.txt").write_text(f"{headline} ({n})\n{rest}", encoding="utf-8")
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            with transaction.atomic():
                call_command("ingest", str(folder), stdout=io.StringIO())
                seconds = time.perf_counter() - started
                transaction.set_rollback(True)
            grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
        figures["queue"] = (items / seconds, grown)
        self.stdout.write(
            f"  into the queue on {connection.vendor}: {items:,} items in {seconds:.2f} s "
            f"({items / seconds:,.0f} items/s); peak memory grew by {grown:,.0f} MB"
        )
        return figures

    def autosave_figures(self, posts):
        """Print ms per autosave post in this process, through the full middleware stack, and its queries.

        An editor posts the change form of the newest story `posts` times, URL-encoded as the page's script
        does while she types; it all happens in a transaction that is then rolled back.
        """
        article = Article.objects.order_by("-pk").first()
        data = {name: "" if value is None else str(value) for name, value in article_form_values(article).items()}
        data = {
            **data,
            **{f"initial-{name}": value for name, value in data.items()},
            "opened_version": article.version,
        }
        url = reverse("admin:articles_article_autosave", args=[article.pk])
        with transaction.atomic():
            editor = get_user_model().objects.create_user(username="bench-autosave-editor", is_staff=True)
            editor.groups.set(Group.objects.filter(name="Editor"))
            client = Client()
            client.force_login(editor)
            with CaptureQueriesContext(connection) as queries:
                answer = client.post(url, urlencode({**data, "dek": "typed 0"}), content_type=FORM)
            if answer.status_code != 200:
                raise CommandError(f"{url} answered {answer.status_code}")
            writes = sum(1 for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.IGNORECASE))
            asked = len(queries)  # counted now: each request the client makes clears the connection's log
            started = time.perf_counter()
            for n in range(posts):
                client.post(url, urlencode({**data, "dek": f"typed {n}"}), content_type=FORM)
            ms = (time.perf_counter() - started) * 1000 / posts
            transaction.set_rollback(True)
        self.stdout.write(
            f"\nDesk: autosave {ms:.2f} ms a post in this process over {posts} posts "
            f"({asked} queries, {writes} write{'s' if writes != 1 else ''} each) on {connection.vendor}."
        )
        return {"autosave_ms": ms, "queries": asked, "writes": writes}

    def pages(self):
        article = Article.objects.published().select_related("primary_section").order_by("-published_at").first()
        section = (
            Section.objects.filter(parent__isnull=True, articles__isnull=False).first() or article.primary_section
        )
        tag = Tag.objects.filter(articles_taggedarticle_items__isnull=False).first()
        person = Person.objects.filter(authorships__isnull=False).first()
        pages = {
            "home": "/",
            "section": section.get_absolute_url(),
            "article": article.get_absolute_url(),
            "search": "/search/?q=officials",
            "feed": "/feeds/rss.xml",
            "sitemap": "/sitemap-articles.xml",
        }
        if tag:
            pages["tag"] = f"/tags/{tag.slug}/"
        if person:
            pages["person"] = person.get_absolute_url()
        return pages

    def measure_in_process(self, pages):
        """Return (queries, bytes) per page, rendered uncached through the full middleware stack."""
        client = Client()
        measured = {}
        old = settings.NEWSROOM.get("PAGE_CACHE")
        settings.NEWSROOM["PAGE_CACHE"] = False
        try:
            for name, path in pages.items():
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path)
                if response.status_code != 200:
                    raise CommandError(f"{path} answered {response.status_code}")
                measured[name] = (len(queries), len(response.content))
        finally:
            settings.NEWSROOM["PAGE_CACHE"] = old
        return measured

    def server(self, workers, cached):
        command = self

        class Server:
            def __enter__(self):
                self.port = free_port()
                env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_PAGE_CACHE": "1" if cached else "0"}
                # All the load comes from one address: the per-address limits would measure themselves.
                env.update(DJANGO_SEARCH_RATE_LIMIT="0", DJANGO_API_RATE_LIMIT="0")
                self.process = command._last_server = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "newsroom.wsgi",
                        "-w",
                        str(workers),
                        "-b",
                        f"127.0.0.1:{self.port}",
                        "--log-level",
                        "warning",
                    ],
                    cwd=settings.BASE_DIR,
                    env=env,
                )
                base = f"http://127.0.0.1:{self.port}"
                for _ in range(200):
                    try:
                        command.get(base + "/")
                        break
                    except OSError:
                        time.sleep(0.05)
                else:
                    raise CommandError("gunicorn did not start")
                return base

            def __exit__(self, *exc):
                self.process.terminate()
                self.process.wait(timeout=20)

        return Server()

    def get(self, url):
        host, port, path = re.match(r"http://([^:/]+):(\d+)(.*)", url).groups()
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            conn.request("GET", path or "/")
            response = conn.getresponse()
            response.read()
        except TimeoutError:
            raise CommandError(f"{url} did not answer within 30 s") from None
        finally:
            conn.close()
        return response.status

    def wrk(self, url, duration, connections):
        for _ in range(20):
            self.get(url)  # warm up: imports, connections, the page cache
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration:g}s", "--latency", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = self._ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
        p99 = self._ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return rps, p50, p99, int(errors.group(1)) if errors else 0

    @staticmethod
    def _ms(text):
        value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    def python_load(self, url, duration, connections):
        host, port, path = re.match(r"http://([^:/]+):(\d+)(.*)", url).groups()
        latencies, errors, lock = [], [0], threading.Lock()
        deadline = time.monotonic() + duration

        def worker():
            conn = http.client.HTTPConnection(host, int(port), timeout=10)
            mine, bad = [], 0
            while time.monotonic() < deadline:
                started = time.perf_counter()
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                mine.append((time.perf_counter() - started) * 1000)
                bad += response.status >= 400
            with lock:
                latencies.extend(mine)
                errors[0] += bad

        threads = [threading.Thread(target=worker) for _ in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0
        return len(latencies) / duration, statistics.median(latencies) if latencies else 0, p99, errors[0]

    # The targets the figures are held to (issue 15): uncached article, uncached home and section, any cached page.
    TARGETS = (
        ("uncached article", lambda name, mode: mode == "uncached" and name == "article", 0.25),
        ("uncached home and section", lambda name, mode: mode == "uncached" and name in ("home", "section"), 0.15),
        ("any cached page", lambda name, mode: mode == "cached" and not name.startswith("static"), 0.8),
    )
    # The ratio each target is read from: against the article-size file; cached pages against a file of their size.
    TARGET_RATIO = {"any cached page": 9}

    def report(self, runs):
        """Print several runs' figures (one a database) side by side, each ratio against its own static file."""
        for run in runs:
            self.stdout.write(f"{run['label']}: {run['setup']}.")
        header = f"{'page':<16}{'mode':<10}" + "".join(
            f"{run['label'] + ' req/s':>26}{'× static':>10}{'× same size':>13}" for run in runs
        )
        self.stdout.write("\n" + header)
        self.stdout.write("-" * len(header))
        figures = [{(row[0], row[1]): row for row in run["rows"]} for run in runs]
        for name, mode, *_ in runs[0]["rows"]:
            line = f"{name:<16}{mode:<10}"
            for found in figures:
                row = found.get((name, mode))
                line += f"{row[2]:>26,.0f}{row[7]:>10.2f}{row[9]:>13.2f}" if row else f"{'-':>26}{'-':>10}{'-':>13}"
            self.stdout.write(line)
        self.stdout.write("")
        for run in runs:
            ingest = run.get("ingest") or {}
            if ingest.get("queue"):
                rate, grown = ingest["queue"]
                readers = ", ".join(f"{name} {files:,.0f}" for name, (files, _items) in ingest["readers"].items())
                self.stdout.write(
                    f"{run['label']}: ingest {rate:,.0f} items/s into the queue (peak memory +{grown:,.0f} MB); "
                    f"readers, files/s: {readers}"
                )
        for run in runs:
            desk = run.get("desk") or {}
            if desk.get("autosave_ms") is not None:
                self.stdout.write(
                    f"{run['label']}: autosave {desk['autosave_ms']:.2f} ms a post in-process "
                    f"({desk['queries']} queries, {desk['writes']} writes)"
                )
        self.stdout.write("")
        for label, picks, floor in self.TARGETS:
            for run, found in zip(runs, figures, strict=True):
                column = self.TARGET_RATIO.get(label, 7)
                ratios = [row[column] for (name, mode), row in found.items() if picks(name, mode)]
                worst = min(ratios, default=0)
                verdict = "met" if worst >= floor else "NOT met"
                self.stdout.write(f"{run['label']}: {label} ≥ {floor}× static: lowest {worst:.2f}× — {verdict}")

    def table(self, rows):
        header = (
            f"{'page':<16}{'mode':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'queries':>9}{'bytes':>9}{'× static':>10}{'× same size':>13}{'errors':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for name, mode, rps, p50, p99, queries, size, ratio, errors, own in rows:
            self.stdout.write(
                f"{name:<16}{mode:<10}{rps:>9,.0f}{p50:>9.1f}{p99:>9.1f}{queries:>9}{size:>9,}{ratio:>10.2f}"
                f"{own:>13.2f}{errors:>8}"
            )
