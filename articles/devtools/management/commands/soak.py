"""Soak: minutes of mixed reader traffic under gunicorn, with a story published and corrected midway.

Passes when no response is a 5xx, the new story and its correction show up while the load runs,
and the workers' memory stays flat (the last sample within --memory-growth of the first).
"""

import http.client
import itertools
import random
import threading
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.devtools.management.commands.bench import Command as Bench
from articles.models import Article, Correction, Section


def rss_kib(pid):
    """Return a process's resident memory in KiB, read from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


class Command(BaseCommand):
    help = "Run mixed load for --minutes, publish and correct a story midway, report errors and memory."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=float, default=5.0)
        parser.add_argument("--connections", type=int, default=6)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--memory-growth", type=float, default=0.25, help="Allowed RSS growth (0.25 = 25%%).")

    def handle(self, *args, minutes, connections, workers, memory_growth, **options):
        bench = Bench()
        pages = list(bench.pages().values())
        if not pages:
            raise CommandError("no published stories: run generate_demo first")
        pages += [f"/search/?q={word}" for word in ("talks", "energy", "officials", "zzz")]
        pages += ["/?page=2", "/robots.txt", "/sitemap.xml", "/api/ninjs/", "/no-such-page/"]
        statuses, lock = {}, threading.Lock()
        duration = minutes * 60
        with bench.server(workers, cached=True) as base:
            host, port = base.removeprefix("http://").split(":")
            master = bench._last_server.pid
            deadline = time.monotonic() + duration

            def reader(seed):
                rng = random.Random(seed)
                conn = http.client.HTTPConnection(host, int(port), timeout=15)
                counts = {}
                while time.monotonic() < deadline:
                    try:
                        conn.request("GET", rng.choice(pages))
                        response = conn.getresponse()
                        response.read()
                        counts[response.status] = counts.get(response.status, 0) + 1
                    except (OSError, http.client.HTTPException) as exc:
                        kind = f"connection error ({type(exc).__name__})"
                        counts[kind] = counts.get(kind, 0) + 1
                        conn = http.client.HTTPConnection(host, int(port), timeout=15)
                with lock:
                    for key, value in counts.items():
                        statuses[key] = statuses.get(key, 0) + value

            threads = [threading.Thread(target=reader, args=(n,)) for n in range(connections)]
            for thread in threads:
                thread.start()
            memory = []
            published = corrected = None
            checks = {}
            for _tick in itertools.count():
                if time.monotonic() >= deadline:
                    break
                memory.append(sum(rss_kib(pid) for pid in children(master)))
                elapsed = duration - (deadline - time.monotonic())
                if published is None and elapsed >= duration / 2:
                    published = self.publish()
                if published and corrected is None and elapsed >= duration / 2 + 5:
                    corrected = Correction.objects.create(article=published, text="Soak correction: a name was wrong.")
                if published and "published seen" not in checks:
                    checks["published seen"] = "Soak story" in bench_fetch(base + "/")
                if corrected and "correction seen" not in checks:
                    checks["correction seen"] = "Soak correction" in bench_fetch(base + published.get_absolute_url())
                time.sleep(min(5, max(0.1, deadline - time.monotonic())))
            for thread in threads:
                thread.join()
            memory.append(sum(rss_kib(pid) for pid in children(master)))
        served = sum(v for k, v in statuses.items() if isinstance(k, int))
        errors_5xx = sum(v for k, v in statuses.items() if isinstance(k, int) and k >= 500)
        growth = (memory[-1] - memory[1]) / memory[1] if len(memory) > 2 and memory[1] else 0
        self.stdout.write(
            f"soak: {minutes:g} min, {connections} connections, {served:,} responses "
            f"({served / duration:,.0f}/s); statuses {dict(sorted(statuses.items(), key=str))}"
        )
        self.stdout.write(
            f"workers' memory: first {memory[1] / 1024:.1f} MiB, max {max(memory) / 1024:.1f} MiB, "
            f"last {memory[-1] / 1024:.1f} MiB ({growth:+.1%}); {len(memory)} samples"
        )
        self.stdout.write(f"midway: {checks}")
        failures = []
        connection_errors = sum(v for k, v in statuses.items() if str(k).startswith("connection error"))
        if errors_5xx or connection_errors:
            failures.append(f"{errors_5xx} server errors, {connection_errors} connection errors")
        if growth > memory_growth:
            failures.append(f"memory grew {growth:.0%}")
        if not all(checks.values()) or len(checks) < 2:
            failures.append(f"the story or its correction did not show: {checks}")
        if failures:
            raise CommandError("soak failed: " + "; ".join(failures))
        self.stdout.write(self.style.SUCCESS("soak passed"))

    def publish(self):
        section = Section.objects.order_by("pk").first()
        stamp = int(time.time())
        return Article.objects.create(
            headline=f"Soak story {stamp}",
            slug=f"soak-story-{stamp}",
            primary_section=section,
            body="<p>Published in the middle of a soak.</p>",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )


def bench_fetch(url):
    host_port, _, path = url.removeprefix("http://").partition("/")
    host, port = host_port.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=15)
    conn.request("GET", "/" + path)
    body = conn.getresponse().read().decode()
    conn.close()
    return body
