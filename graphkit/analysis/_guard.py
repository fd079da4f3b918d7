"""Size checks made before expensive work: refuse with a message that says what to do instead.

Work is counted in search steps: a shortest-path search from one source visits every node
and every edge once, so exact betweenness, closeness or harmonic centrality from every node
cost about ``n * (n + m)`` steps, and ``k`` sampled sources ``k * (n + m)``.

Each guarded computation has its own rate on each engine (``fast``, ``reference``; the
aliases ``networkit`` and ``networkx`` look up the same entries), measured by
``bench/guards.py`` on the calibration machine (two cores, both used where the engine is
parallel): :data:`RATES`, in steps a second.  A guard admits a call whose estimated time, work over rate, is at most
:data:`SECONDS` (two minutes); :data:`MAX_WORK` holds the resulting budgets.  The rates
differ by two orders of magnitude (networkx's weighted betweenness against NetworKit's
closeness), which is why one budget per engine was wrong.  BENCHMARKS.md ("Size guards")
has the figures.
"""

from __future__ import annotations

from graphkit.analysis._dispatch import ALIASES
from graphkit.errors import AnalysisError

__all__ = ["MAX_WORK", "RATES", "SECONDS", "check_work", "search_work"]


class _ByEngine(dict):
    """A table by canonical engine name.

    It also answers to the engines' aliases (``"networkit"``, ``"networkx"``).
    """

    def __missing__(self, key: str) -> dict[str, float]:
        if key in ALIASES:
            return self[ALIASES[key]]
        raise KeyError(key)


#: The time a guard admits, in seconds on the calibration machine.
SECONDS = 120.0

#: Measured search steps a second, by engine and guarded computation (``bench/guards.py``
#: on 2 cores shared with other work): each rounded down from the smallest of its
#: measurements, the short runs of two sessions and, for NetworKit's searches from every
#: node, runs just under the budget (``--verify``: a third slower than on small graphs).
RATES: dict[str, dict[str, float]] = _ByEngine({
    "fast": {  # NetworKit, and scipy for the sparse-matrix Brandes
        "betweenness": 1e7,
        "weighted betweenness": 1e7,
        "sampled betweenness": 2e7,  # the sparse-matrix Brandes (sampled and subset)
        "closeness": 1e8,
        "weighted closeness": 4e7,
        "harmonic": 1e7,
        "weighted harmonic": 1e7,
    },
    "reference": {  # networkx
        "betweenness": 1e6,
        "weighted betweenness": 8e5,
        "sampled betweenness": 6e5,  # networkx's subset betweenness (sampled and subset)
        "weighted sampled betweenness": 6e5,
        "closeness": 9e6,
        "weighted closeness": 1e6,
        "harmonic": 6e6,
        "weighted harmonic": 7e5,
    },
})

#: Search steps each guarded computation may spend on one call before refusing
#: (``force=True`` overrides): its rate times :data:`SECONDS`.
MAX_WORK: dict[str, dict[str, float]] = _ByEngine({
    engine: {guard: rate * SECONDS for guard, rate in rates.items()} for engine, rates in RATES.items()
})


def search_work(sources: int, n: int, m: int) -> float:
    """Steps of ``sources`` shortest-path searches on ``n`` nodes and ``m`` edges.

    >>> search_work(10, 100, 400)
    5000.0
    """
    return float(sources) * (n + m)


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} seconds"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:.0f} days"


def check_work(work: float, engine: str, guard: str, what: str, instead: str, force: bool) -> None:
    """Raise :class:`~graphkit.AnalysisError` when ``work`` steps exceed the budget of ``guard``.

    ``guard`` is a key of ``MAX_WORK[engine]``, ``engine`` by name or alias; the message
    estimates the time and says what to do.

    >>> try:
    ...     check_work(1e12, "fast", "betweenness", "exact betweenness", "pass k=256", False)
    ... except AnalysisError as error:
    ...     message = str(error)
    >>> message[:54]
    'exact betweenness would take about 1e+12 search steps,'
    >>> message[message.index("): ") + 3:]
    'pass k=256, or force=True to run it anyway'
    """
    engine = ALIASES.get(engine, engine)
    budget = MAX_WORK[engine][guard]
    if work > budget and not force:
        rate = RATES[engine][guard]
        raise AnalysisError(
            f"{what} would take about {work:.0e} search steps, about {_duration(work / rate)} at the "
            f"{rate:.0e} steps a second measured for the {engine} engine (its budget is {budget:.1e} steps, "
            f"{_duration(SECONDS)}): {instead}, or force=True to run it anyway")
