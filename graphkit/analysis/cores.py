"""Cohesion: k-core decomposition, clustering coefficients and transitivity.

All three are defined on the unweighted graph without self loops: self loops are dropped,
and the provenance says so (networkx refuses self loops in ``core_number``).  A directed
graph is made undirected, except for ``core_number(mode="in+out")``, which counts a node's
in- and out-edges as networkx's ``core_number`` does on a ``DiGraph``.
"""

from __future__ import annotations

from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.analysis._checks import check_arguments, check_choice
from graphkit.analysis._dispatch import EngineName, Output, dispatch, implements
from graphkit.analysis._input import GraphLike, networkit
from graphkit.graph import Graph
from graphkit.results import Result

__all__ = ["CORE_MODES", "clustering", "core_number"]

_NO_LOOPS = "self loops dropped"

#: The degree conventions of :func:`core_number` on a directed graph.
CORE_MODES = ("undirected", "in+out")


def _simple_networkit(g: Graph, conversions: list[str]):
    """The undirected NetworKit graph of ``g``, without self loops (a copy only if it has any)."""
    G = g.to_networkit(None)
    if G.numberOfSelfLoops():
        conversions.append(_NO_LOOPS)
        import networkit as nk

        G = nk.Graph(G)
        G.removeSelfLoops()
    return G


def _in_out_networkit(g: Graph, conversions: list[str]):
    """The directed NetworKit graph of ``g`` without self loops, for in+out core numbers.

    NetworKit's CoreDecomposition keeps one bucket per degree below the node count, which a
    directed graph's in+out degree (up to ``2 (n - 1)``) can pass, and then it writes out of
    bounds (a crash on ``0 <-> 1``).  Isolated padding nodes (core 0, dropped from the
    result) keep every degree below the count.
    """
    import networkit as nk

    s, t, _ = g.merged_edges()
    keep = s != t
    if not keep.all():
        conversions.append(_NO_LOOPS)
    s, t = s[keep], t[keep]
    n = g.number_of_nodes()
    degree = np.bincount(s, minlength=n) + np.bincount(t, minlength=n)
    size = max(n, int(degree.max()) + 1 if len(degree) else 0)
    return nk.GraphFromCoo((s.astype(np.uint64), t.astype(np.uint64)), n=size, weighted=False, directed=True)


def _simple_networkx(G: nx.Graph, conversions: list[str]) -> nx.Graph:
    """The networkx graph ``G`` without self loops (a directed one with parallel edges merged)."""
    if G.is_directed() and G.is_multigraph():
        G = nx.DiGraph(G)
    loops = list(nx.selfloop_edges(G))
    if loops:
        conversions.append(_NO_LOOPS)
        G = G.copy() if not G.is_multigraph() else nx.DiGraph(G)
        G.remove_edges_from(loops)
    return G


def core_number(graph: GraphLike, *, mode: Literal["undirected", "in+out"] = "undirected",
                engine: EngineName = "auto") -> Result:
    """The k-core decomposition: each node's core number.

    The core number is the largest k such that the node is in a subgraph where every node
    has at least k neighbours.

    Parameters
    ----------
    graph : Graph or networkx graph
    mode : {"undirected", "in+out"}
        How a directed graph's degrees count.  ``"undirected"`` (the default): the graph is
        made undirected first, so a node's degree is its number of distinct neighbours.
        ``"in+out"``: in-edges and out-edges count separately, so a reciprocal pair counts
        twice; this is networkx's ``core_number`` on a ``DiGraph`` (and igraph's
        ``coreness(mode="all")``).  The two agree on undirected graphs.
    engine : {"auto", "fast", "reference"}

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``core_number``, sorted by core number descending, kind,
        id.  ``summary``: ``degeneracy`` (the largest core number), ``max_core_size``
        (nodes in that core).

    Raises
    ------
    ArgumentError
        Not a graph, an unknown ``mode`` or ``engine``.

    Examples
    --------
    >>> G = nx.complete_graph(4)
    >>> G.add_edge(3, 4)
    >>> r = core_number(G)
    >>> r.frame["core_number"].tolist(), r.summary["degeneracy"]
    ([3, 3, 3, 3, 1], 3)
    >>> D = nx.DiGraph([(0, 1), (1, 0), (1, 2), (2, 0)])
    >>> core_number(D).frame["core_number"].tolist(), core_number(D, mode="in+out").frame["core_number"].tolist()
    ([2, 2, 2], [2, 2, 2])
    >>> core_number(nx.DiGraph([(0, 1), (1, 0)]), mode="in+out").frame["core_number"].tolist()
    [2, 2]
    """
    check_arguments("core_number", graph)
    check_choice("core_number", "mode", mode, CORE_MODES)
    directed = mode == "in+out" and graph.is_directed()
    return dispatch("core_number", graph, engine, {"mode": mode}, undirected=not directed, finish=_degeneracy,
                    directed=directed)


@implements("core_number", "fast")
def _core_number_fast(g: Graph, *, directed: bool) -> Output:
    conversions: list[str] = []
    # A directed NetworKit graph's core numbers count in- plus out-edges.
    G = _in_out_networkit(g, conversions) if directed else _simple_networkit(g, conversions)
    with networkit() as nk:
        cores = np.asarray(nk.centrality.CoreDecomposition(G).run().scores(), dtype=np.int64)
    return Output("networkit", {"core_number": cores[:g.number_of_nodes()]}, by="core_number",
                  conversions=conversions)


@implements("core_number", "reference")
def _core_number_reference(G: nx.Graph, *, directed: bool) -> Output:
    conversions: list[str] = []
    found = nx.core_number(_simple_networkx(G, conversions))
    nodes = list(found)
    return Output("networkx", {"core_number": np.array([found[n] for n in nodes], dtype=np.int64)}, rows=nodes,
                  by="core_number", conversions=conversions)


def _degeneracy(frame: pd.DataFrame, summary: dict) -> tuple[pd.DataFrame, dict]:
    top = int(frame["core_number"].max()) if len(frame) else 0
    return frame, {"degeneracy": top, "max_core_size": int((frame["core_number"] == top).sum()) if len(frame) else 0}


def clustering(graph: GraphLike, *, engine: EngineName = "auto") -> Result:
    """Local clustering coefficients, their average, and the transitivity.

    Unweighted: the share of a node's pairs of neighbours that are neighbours themselves (0
    for a node with fewer than two neighbours).

    Raises
    ------
    ArgumentError
        Not a graph, or an unknown ``engine``.

    Parameters
    ----------
    graph : Graph or networkx graph
    engine : {"auto", "fast", "reference"}

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``clustering``, sorted descending.  ``summary``:
        ``average_clustering`` (over all nodes), ``transitivity`` (3 x triangles / connected
        triples), ``triangles``.

    Examples
    --------
    >>> r = clustering(nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)]))
    >>> r.frame["clustering"].round(3).tolist(), round(r.summary["transitivity"], 3)
    ([1.0, 1.0, 0.333, 0.0], 0.6)
    """
    check_arguments("clustering", graph)
    return dispatch("clustering", graph, engine, {}, undirected=True, finish=_transitivity)


@implements("clustering", "fast")
def _clustering_fast(g: Graph) -> Output:
    conversions: list[str] = []
    G = _simple_networkit(g, conversions)
    with networkit() as nk:
        local = np.asarray(nk.centrality.LocalClusteringCoefficient(G, turbo=True).run().scores())
    degree = _degrees(G)
    pairs = degree * (degree - 1) / 2
    # A node's coefficient is its triangles over its pairs of neighbours: count them back.
    triangles, triples = int(round(float(np.sum(local * pairs)) / 3)), float(pairs.sum())
    return Output("networkit", {"clustering": local}, by="clustering", conversions=conversions,
                  summary={"triangles": triangles, "triples": triples})


@implements("clustering", "reference")
def _clustering_reference(G: nx.Graph) -> Output:
    conversions: list[str] = []
    G = _simple_networkx(G, conversions)
    found = nx.clustering(G)
    nodes = list(found)
    return Output("networkx", {"clustering": np.array([found[n] for n in nodes], dtype=float)}, rows=nodes,
                  by="clustering", conversions=conversions,
                  summary={"triangles": sum(nx.triangles(G).values()) // 3,
                           "triples": sum(d * (d - 1) / 2 for _, d in G.degree())})


def _transitivity(frame: pd.DataFrame, found: dict) -> tuple[pd.DataFrame, dict]:
    triangles, triples = found["triangles"], found["triples"]
    return frame, {
        "average_clustering": float(frame["clustering"].mean()) if len(frame) else 0.0,
        "transitivity": float(3 * triangles / triples) if triples else 0.0,
        "triangles": int(triangles),
    }


def _degrees(G) -> np.ndarray:
    """Degrees of a NetworKit graph, vectorised."""
    import networkit as nk

    return np.asarray(nk.centrality.DegreeCentrality(G).run().scores(), dtype=np.float64)
