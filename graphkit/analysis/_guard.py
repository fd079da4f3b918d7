"""Size checks made before expensive work: refuse with a message that says what to do instead.

Work is counted in edge visits: a breadth-first search from one source visits every edge
once, so exact betweenness, closeness or harmonic centrality cost about ``n * m``.  The
budgets are a minute or two on a two-core machine (NetworKit visits about 10^8 edges a
second per thread; networkx about 10^6).
"""

from __future__ import annotations

from graphkit.errors import AnalysisError

__all__ = ["MAX_WORK", "check_work"]

#: Edge visits each engine may spend on one call before refusing (``force=True`` overrides).
MAX_WORK = {"networkit": 2e10, "networkx": 1e8}


def check_work(work: float, engine: str, what: str, instead: str, force: bool) -> None:
    """Raise :class:`~graphkit.AnalysisError` when ``work`` edge visits exceed the engine's budget.

    >>> try:
    ...     check_work(1e12, "networkit", "exact betweenness", "pass k=256", False)
    ... except AnalysisError as error:
    ...     message = str(error)
    >>> message[:53]
    'exact betweenness would take about 1e+12 edge visits '
    >>> message[message.index("): ") + 3:]
    'pass k=256, or force=True to run it anyway'
    """
    budget = MAX_WORK[engine]
    if work > budget and not force:
        raise AnalysisError(f"{what} would take about {work:.0e} edge visits (the {engine} engine's budget is "
                            f"{budget:.0e}): {instead}, or force=True to run it anyway")
