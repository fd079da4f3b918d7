"""The standard analysis run by ``graphkit analyze``, ``graphkit report`` and ``graphkit demo``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from graphkit import _repr
from graphkit.analysis._checks import SEED, check_arguments
from graphkit.analysis._dispatch import ENGINES, EngineName, choose_engine
from graphkit.analysis._input import GraphLike
from graphkit.analysis.centrality import degree, pagerank
from graphkit.analysis.communities import louvain
from graphkit.analysis.connectivity import components
from graphkit.analysis.cores import core_number
from graphkit.analysis.shortest_paths import betweenness
from graphkit.errors import ArgumentError
from graphkit.graph import Graph
from graphkit.model import ID, KIND
from graphkit.results import Result

__all__ = ["BETWEENNESS_K", "Analysis", "analyze"]

#: The order of :attr:`Analysis.results` (the steps run in another, see :func:`analyze`).
_ORDER = ("components", "louvain", "pagerank", "degree", "kcore", "betweenness")

#: Sources sampled for betweenness by :func:`analyze` (exact at or below this many nodes).
BETWEENNESS_K = 256

#: The measures :func:`analyze` runs: an engine must implement every one.
_MEASURES = ("components", "louvain", "pagerank", "degree", "core_number", "betweenness")

#: The per-node measures of :func:`analyze`, by the column that :meth:`Analysis.nodes` gives.
_STEPS: dict[str, str] = {
    "component": "components",
    "community": "louvain",
    "pagerank": "pagerank",
    "degree": "degree",
    "core_number": "kcore",
    "betweenness": "betweenness",
}


@dataclass(frozen=True)
class Analysis:
    """The results of :func:`analyze`, by step name.

    Parameters
    ----------
    results : dict of str to Result
        Each step's :class:`~graphkit.Result`, keyed by step name (``"pagerank"``, ...).
    """

    results: dict[str, Result] = field(default_factory=dict)

    def __repr__(self) -> str:
        head, steps = self._describe()
        return "\n".join([head, *(f"  {name}: {text}" for name, text in steps.items())])

    def _repr_html_(self) -> str:
        head, steps = self._describe()
        return _repr.html_block(head, [], steps)

    def _describe(self) -> tuple[str, dict[str, str]]:
        """A title, and one bounded line per step: function, engine, rows, summary."""
        graphs = {str(r.provenance.graph.get("name")) for r in self.results.values() if r.provenance.graph}
        on = f" of the {', '.join(map(repr, sorted(graphs)))} analysis graph" if graphs else ""
        head = f"Analysis{on}: {len(self.results)} steps; .nodes() gives one row per node with each step's measure"
        steps = {}
        for name, result in self.results.items():
            p = result.provenance
            text = f"{p.function} ({p.engine}), {len(result.frame):,} rows"
            steps[name] = _repr.cut(text + (f"; {_repr.items_text(result.summary)}" if result.summary else ""), 160)
        return head, steps

    def nodes(self) -> pd.DataFrame:
        """One row per node: ``kind``, ``id`` and each step's measure, ready to write back."""
        frame = None
        for column, step in _STEPS.items():
            if step not in self.results:
                continue
            part = self.results[step].frame[[KIND, ID, column]]
            frame = part if frame is None else frame.merge(part, on=[KIND, ID], how="outer")
        if frame is None:
            return pd.DataFrame(columns=[KIND, ID])
        order = frame.assign(_id=frame[ID].map(str)).sort_values([KIND, "_id"], kind="mergesort").index
        return frame.loc[order].reset_index(drop=True)

    def summary(self) -> dict[str, dict]:
        """Each step's summary, by step name."""
        return {name: dict(r.summary) for name, r in self.results.items()}


def analyze(
    graph: GraphLike,
    *,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    engine: EngineName = "auto",
) -> Analysis:
    """Components, Louvain, PageRank, weighted degree, k-core and betweenness of ``graph``.

    Louvain and PageRank are weighted; betweenness is sampled from :data:`BETWEENNESS_K`
    seeded sources, exact on smaller graphs.

    ``engine="auto"`` takes the fast engine (NetworKit and scipy) above 5,000 edges and the
    reference one (networkx) below.  A networkx graph on the fast engine is converted to
    arrays once, for every step.

    Parameters
    ----------
    graph : Graph or networkx graph
    seed : int
        Seed of Louvain and of the betweenness sample, an integer in [0, 2**32 - 1].
    progress : callable, optional
        Called with each step's name before it runs.
    engine : {"auto", "fast", "reference"}

    Raises
    ------
    ArgumentError
        Not a graph, a bad ``seed`` or ``engine``, or a ``progress`` that is not callable.

    Examples
    --------
    >>> import networkx as nx
    >>> a = analyze(nx.karate_club_graph())
    >>> list(a.results)
    ['components', 'louvain', 'pagerank', 'degree', 'kcore', 'betweenness']
    >>> list(a.nodes().columns)
    ['kind', 'id', 'component', 'community', 'pagerank', 'degree', 'core_number', 'betweenness']
    """
    check_arguments("analyze", graph, seed=(seed, SEED))
    seed = int(seed)
    if progress is not None and not callable(progress):
        raise ArgumentError(f"analyze: progress must be a callable or None, got {progress!r}")
    engine = choose_engine(graph, engine, "analyze", _MEASURES)
    graph, _ = ENGINES[engine].shared(graph, "weight", False, [])  # the fast engine converts a networkx graph once
    k = BETWEENNESS_K if graph.number_of_nodes() > BETWEENNESS_K else None
    # The sparse-matrix steps first, then NetworKit's: the two never hold memory at once.
    steps: dict[str, Callable[[], Result]] = {
        "pagerank": lambda: pagerank(graph, engine=engine),
        "degree": lambda: degree(graph, weight="weight", engine=engine),
        "betweenness": lambda: betweenness(graph, k=k, seed=seed, engine=engine),
        "components": lambda: components(graph, engine=engine),
        "louvain": lambda: louvain(graph, seed=seed, engine=engine),
        "kcore": lambda: core_number(graph, engine=engine),
    }
    results = {}
    for name, step in steps.items():
        if name == "components" and isinstance(graph, Graph):
            graph.release_csr()  # done with them
        if progress:
            progress(name)
        results[name] = step()
    return Analysis({name: results[name] for name in _ORDER})
