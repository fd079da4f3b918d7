"""Distance-based centrality: closeness and harmonic centrality.

Both need a shortest-path search from every node (about ``n * m`` edge visits), so both are
size-checked.  On a directed graph they use the distances *to* a node, as networkx does.
A weight, when given, is an edge's length (unlike elsewhere in graphkit, where weights are
strengths): pass ``weight=None`` for hop counts.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from graphkit.analysis._checks import check_arguments
from graphkit.analysis._dispatch import EngineName, Output, dispatch, implements
from graphkit.analysis._guard import check_work, search_work
from graphkit.analysis._input import GraphLike, networkit
from graphkit.graph import Graph
from graphkit.results import Result

__all__ = ["closeness", "harmonic"]


_INSTEAD = "compute it on a sample or a component (e.g. the giant component), or use pagerank"


def _guard(measure: str, weight: str | None, force: bool):
    """The size check of ``measure`` (``"closeness"`` or ``"harmonic"``).

    A search from every node, made before any conversion.
    """
    return lambda graph, engine: _check(graph, engine, measure, weight, force)


def _check(graph: GraphLike, engine: str, measure: str, weight: str | None, force: bool) -> None:
    n = graph.number_of_nodes()
    m = len(graph.merged_edges()[0]) if isinstance(graph, Graph) else graph.number_of_edges()
    what = "closeness" if measure == "closeness" else "harmonic centrality"
    check_work(search_work(n, n, m), engine, f"weighted {measure}" if weight is not None else measure,
               f"{'weighted ' if weight is not None else ''}{what} on {n:,} nodes and {m:,} edges", _INSTEAD, force)


def _nk_inward(g, weighted: bool):
    """The NetworKit graph whose out-distances are ``g``'s in-distances."""
    with networkit() as nk:
        G = g.to_networkit(weighted)
        return nk.graphtools.transpose(G) if g.directed else G


def closeness(graph: GraphLike, *, weight: str | None = None, engine: EngineName = "auto",
              force: bool = False) -> Result:
    """Closeness centrality: the inverse average distance from the nodes that reach a node.

    Scaled by the share of nodes that do (Wasserman and Faust; networkx's ``wf_improved``),
    so that the nodes of small components do not look central.

    Parameters
    ----------
    graph : Graph or networkx graph
    weight : str, optional
        Edge lengths for weighted shortest paths (for a projection: its weights); ``None``
        (the default): unweighted.
    engine : {"auto", "fast", "reference"}
    force : bool
        Run even when the size check refuses.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``closeness``, sorted descending.

    Raises
    ------
    ArgumentError
        Not a graph, or a bad ``engine``.
    AnalysisError
        A graph too large for the budget (about ``n * (n + m)`` search steps; two minutes at
        the measured rate, see :data:`~graphkit.analysis.MAX_WORK`).

    Examples
    --------
    >>> r = closeness(nx.path_graph(3))
    >>> r.frame[["id", "closeness"]].values.tolist()
    [[1, 1.0], [0, 0.6666666666666666], [2, 0.6666666666666666]]
    """
    check_arguments("closeness", graph)
    return dispatch("closeness", graph, engine, {"weight": weight}, weight=weight,
                    before=_guard("closeness", weight, force))


@implements("closeness", "fast")
def _closeness_fast(g: Graph, *, weight: str | None) -> Output:
    G = _nk_inward(g, weight is not None)
    with networkit() as nk:
        variant = nk.centrality.ClosenessVariant.GENERALIZED
        scores = np.asarray(nk.centrality.Closeness(G, True, variant).run().scores())
    return Output("networkit", {"closeness": scores}, by="closeness")


@implements("closeness", "reference")
def _closeness_reference(G: nx.Graph, *, weight: str | None) -> Output:
    found = nx.closeness_centrality(G, distance=weight)
    return Output("networkx", {"closeness": np.array([found[v] for v in G], dtype=np.float64)}, by="closeness")


def harmonic(graph: GraphLike, *, weight: str | None = None, engine: EngineName = "auto",
             force: bool = False) -> Result:
    """Harmonic centrality: the sum of inverse distances from every other node.

    0 for those that do not reach it, as networkx's ``harmonic_centrality``.

    Parameters
    ----------
    graph : Graph or networkx graph
    weight : str, optional
        Edge lengths for weighted shortest paths (for a projection: its weights); ``None``
        (the default): unweighted.
    engine : {"auto", "fast", "reference"}
    force : bool
        Run even when the size check refuses.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``harmonic``, sorted descending.

    Raises
    ------
    ArgumentError
        Not a graph, or a bad ``engine``.
    AnalysisError
        A graph too large for the budget (about ``n * (n + m)`` search steps; two minutes at
        the measured rate, see :data:`~graphkit.analysis.MAX_WORK`).

    Examples
    --------
    >>> harmonic(nx.path_graph(3)).frame[["id", "harmonic"]].values.tolist()
    [[1, 2.0], [0, 1.5], [2, 1.5]]
    """
    check_arguments("harmonic", graph)
    return dispatch("harmonic", graph, engine, {"weight": weight}, weight=weight,
                    before=_guard("harmonic", weight, force))


@implements("harmonic", "fast")
def _harmonic_fast(g: Graph, *, weight: str | None) -> Output:
    G = _nk_inward(g, weight is not None)
    with networkit() as nk:
        scores = np.asarray(nk.centrality.HarmonicCloseness(G, normalized=False).run().scores())
    return Output("networkit", {"harmonic": scores}, by="harmonic")


@implements("harmonic", "reference")
def _harmonic_reference(G: nx.Graph, *, weight: str | None) -> Output:
    found = nx.harmonic_centrality(G, distance=weight)
    return Output("networkx", {"harmonic": np.array([found[v] for v in G], dtype=np.float64)}, by="harmonic")
