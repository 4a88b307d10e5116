"""Progress bars for long management commands."""

import time


class ProgressBar:
    """A one-line progress bar on a management command's stream: items done, rate and time left."""

    width = 30

    def __init__(self, stream, total, *, unit="files"):
        self.stream, self.total, self.unit = stream, max(total, 1), unit
        self.started = time.monotonic()
        self.last_drawn = 0.0
        self.drawn = -1

    def update(self, done):
        now = time.monotonic()
        if done == self.drawn or (done < self.total and now - self.last_drawn < 0.1):
            return
        self.last_drawn, self.drawn = now, done
        filled = self.width * done // self.total
        rate = done / max(now - self.started, 1e-6)
        left = (self.total - done) / rate if rate else 0
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total} {self.unit}, "
            f"{rate:,.0f}/s, {left:,.0f} s left",
            ending="",
        )

    def finish(self):
        self.update(self.total)
        self.stream.write("")
