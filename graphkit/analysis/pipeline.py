"""The standard analysis run by ``graphkit analyze`` and ``graphkit demo``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from graphkit.analysis._input import GraphLike
from graphkit.analysis.centrality import degree, pagerank
from graphkit.analysis.communities import louvain
from graphkit.analysis.connectivity import components
from graphkit.results import Result

__all__ = ["Analysis", "analyze"]

#: The per-node measures of :func:`analyze`, by the column that :meth:`Analysis.nodes` gives.
_STEPS: dict[str, str] = {"component": "components", "community": "louvain", "pagerank": "pagerank", "degree": "degree"}


@dataclass(frozen=True)
class Analysis:
    """The results of :func:`analyze`, by step name."""

    results: dict[str, Result] = field(default_factory=dict)

    def nodes(self) -> pd.DataFrame:
        """One row per node: ``kind``, ``id`` and each step's measure, ready to write back."""
        frame = None
        for column, step in _STEPS.items():
            part = self.results[step].frame[["kind", "id", column]]
            frame = part if frame is None else frame.merge(part, on=["kind", "id"], how="outer")
        assert frame is not None
        return frame.sort_values(["kind", "id"], ignore_index=True)

    def summary(self) -> dict[str, dict]:
        return {name: dict(r.summary) for name, r in self.results.items()}


def analyze(graph: GraphLike, *, seed: int = 0, progress: Callable[[str], None] | None = None) -> Analysis:
    """Components, Louvain (weighted), PageRank (weighted) and weighted degree of ``graph``.

    Examples
    --------
    >>> import networkx as nx
    >>> a = analyze(nx.karate_club_graph())
    >>> sorted(a.results)
    ['components', 'degree', 'louvain', 'pagerank']
    >>> list(a.nodes().columns)
    ['kind', 'id', 'component', 'community', 'pagerank', 'degree']
    """
    steps: dict[str, Callable[[], Result]] = {
        "components": lambda: components(graph),
        "louvain": lambda: louvain(graph, seed=seed),
        "pagerank": lambda: pagerank(graph),
        "degree": lambda: degree(graph, weight="weight"),
    }
    results = {}
    for name, step in steps.items():
        if progress:
            progress(name)
        results[name] = step()
    return Analysis(results)
