"""Peak resident memory (and CPU seconds) of a benchmark's process tree, shared by the benchmarks."""

from __future__ import annotations

import threading
import time

import psutil


class PeakRSS:
    """Poll the RSS of this process and all descendants; keep the maximum of the sum (bytes).

    ``cpu`` maps each pid seen to its user+system CPU seconds at the last poll.
    """

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._proc = psutil.Process()
        self.cpu: dict[int, float] = {}

    def _total(self) -> int:
        total = 0
        for p in [self._proc, *self._proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
                t = p.cpu_times()
                self.cpu[p.pid] = t.user + t.system
            except psutil.Error:
                pass
        return total

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            time.sleep(self.interval)

    def __enter__(self):
        self.peak = self._total()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())
