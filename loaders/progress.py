"""Progress of a long pass, with its rate and an estimate of the time left.

:class:`Meter` turns "this much of that total is done" into one line, at most every few
seconds (and always at the end), for the ``progress`` callbacks of the loaders and the
workflows, which the CLI shows on stderr.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["Meter", "duration"]


def duration(seconds: float) -> str:
    """A rounded duration: ``"8 s"``, ``"3 min 5 s"``, ``"2 h 4 min"``.

    >>> duration(7.6), duration(185), duration(7450)
    ('8 s', '3 min 5 s', '2 h 4 min')
    """
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


class Meter:
    """Says how far a pass has come, its rate and the time left, at most every ``every`` seconds.

    Parameters
    ----------
    say : callable
        Called with each line.
    total : float
        The amount of work of the whole pass (rows, or bytes).
    unit : str
        What ``total`` counts, for the rate (``"rows"``; ``"MB"`` takes bytes and shows MB).
    every : float
        Seconds between lines; the last one (``done >= total``) is always said.
    clock : callable
        The time source (for tests).

    Examples
    --------
    >>> ticks = iter([0.0, 10.0, 20.0])
    >>> lines = []
    >>> meter = Meter(lines.append, 400, clock=lambda: next(ticks))
    >>> meter.update("writing FOLLOWS", 100)
    >>> meter.update("writing FOLLOWS", 400)
    >>> lines
    ['writing FOLLOWS: 100 of 400 rows (25%), 10 rows/s, about 30 s left', 'writing FOLLOWS: 400 of 400 rows (100%), 20 rows/s']
    """

    def __init__(self, say: Callable[[str], None], total: float, *, unit: str = "rows", every: float = 2.0,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.say, self.total, self.unit, self.every, self.clock = say, total, unit, every, clock
        self.start = clock()
        self.last = self.start

    def _amount(self, value: float) -> str:
        return f"{value / 1e6:,.0f}" if self.unit == "MB" else f"{value:,.0f}"

    def update(self, what: str, done: float, extra: str = "") -> None:
        """Say ``what`` with ``done`` of the total, the rate so far and the time left (throttled)."""
        now = self.clock()
        final = done >= self.total
        if not final and now - self.last < self.every:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        share = f" ({done / self.total:.0%})" if self.total else ""
        left = f", about {duration((self.total - done) / rate)} left" if rate > 0 and not final else ""
        self.say(f"{what}: {self._amount(done)} of {self._amount(self.total)} {self.unit}{share}{extra}, "
                 f"{self._amount(rate)} {self.unit}/s{left}")
