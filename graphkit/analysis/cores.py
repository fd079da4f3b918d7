"""Cohesion: k-core decomposition, clustering coefficients and transitivity.

All three are defined on the undirected, unweighted graph without self loops: a directed
graph is made undirected and self loops are dropped, and the provenance says so (networkx
refuses self loops in ``core_number``).
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from graphkit.analysis._arrays import ranked_frame
from graphkit.analysis._input import (
    Engine,
    GraphLike,
    as_graph,
    choose_engine,
    fast_undirected,
    make_result,
    networkit,
    nk_graph,
    node_columns,
    sort_frame,
    undirected,
)
from graphkit.graph import Graph
from graphkit.results import Result

__all__ = ["clustering", "core_number"]

_NO_LOOPS = "self loops dropped"


def _simple_networkit(g: Graph, conversions: list[str]):
    """The undirected NetworKit graph of ``g``, without self loops (a copy only if it has any)."""
    G = nk_graph(g, None)
    if G.numberOfSelfLoops():
        conversions.append(_NO_LOOPS)
        import networkit as nk

        G = nk.Graph(G)
        G.removeSelfLoops()
    return G


def _simple_networkx(graph: GraphLike, conversions: list[str]) -> nx.Graph:
    G, _ = undirected(graph, None, conversions)
    loops = list(nx.selfloop_edges(G))
    if loops:
        conversions.append(_NO_LOOPS)
        G = nx.Graph(G)
        G.remove_edges_from(loops)
    return G


def core_number(graph: GraphLike, *, engine: Engine = "auto") -> Result:
    """The k-core decomposition: each node's core number (the largest k such that the node is
    in a subgraph where every node has at least k neighbours).

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``core_number``, sorted by core number descending, kind,
        id.  ``summary``: ``degeneracy`` (the largest core number), ``max_core_size``
        (nodes in that core).

    Examples
    --------
    >>> G = nx.complete_graph(4)
    >>> G.add_edge(3, 4)
    >>> r = core_number(G)
    >>> r.frame["core_number"].tolist(), r.summary["degeneracy"]
    ([3, 3, 3, 3, 1], 3)
    """
    conversions: list[str] = []
    engine = choose_engine(graph, engine, "core_number")
    if engine == "networkit":
        g = fast_undirected(as_graph(graph, None), conversions)
        G = _simple_networkit(g, conversions)
        with networkit() as nk:
            cores = np.asarray(nk.centrality.CoreDecomposition(G).run().scores(), dtype=np.int64)
        frame = ranked_frame(g, {"core_number": cores}, "core_number")
    else:
        G = _simple_networkx(graph, conversions)
        found = nx.core_number(G)
        nodes = list(found)
        frame = node_columns(G, nodes).assign(core_number=np.array([found[n] for n in nodes], dtype=np.int64))
        frame = sort_frame(frame, ["core_number"], [False])
    top = int(frame["core_number"].max()) if len(frame) else 0
    summary = {"degeneracy": top, "max_core_size": int((frame["core_number"] == top).sum()) if len(frame) else 0}
    return make_result(frame, "core_number", {}, engine, conversions=conversions, summary=summary)


def clustering(graph: GraphLike, *, engine: Engine = "auto") -> Result:
    """Local clustering coefficients, their average, and the transitivity.

    Unweighted: the share of a node's pairs of neighbours that are neighbours themselves (0
    for a node with fewer than two neighbours).

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
    conversions: list[str] = []
    engine = choose_engine(graph, engine, "clustering")
    if engine == "networkit":
        g = fast_undirected(as_graph(graph, None), conversions)
        G = _simple_networkit(g, conversions)
        with networkit() as nk:
            local = np.asarray(nk.centrality.LocalClusteringCoefficient(G, turbo=True).run().scores())
        frame = ranked_frame(g, {"clustering": local}, "clustering")
        degree = _degrees(G)
        pairs = degree * (degree - 1) / 2
        # A node's coefficient is its triangles over its pairs of neighbours: count them back.
        triangles, triples = int(round(float(np.sum(local * pairs)) / 3)), float(pairs.sum())
    else:
        G = _simple_networkx(graph, conversions)
        found = nx.clustering(G)
        nodes = list(found)
        frame = node_columns(G, nodes).assign(clustering=np.array([found[n] for n in nodes], dtype=float))
        frame = sort_frame(frame, ["clustering"], [False])
        triangles = sum(nx.triangles(G).values()) // 3
        triples = sum(d * (d - 1) / 2 for _, d in G.degree())
    summary = {
        "average_clustering": float(frame["clustering"].mean()) if len(frame) else 0.0,
        "transitivity": float(3 * triangles / triples) if triples else 0.0,
        "triangles": int(triangles),
    }
    return make_result(frame, "clustering", {}, engine, conversions=conversions, summary=summary)


def _degrees(G) -> np.ndarray:
    """Degrees of a NetworKit graph, vectorised."""
    import networkit as nk

    return np.asarray(nk.centrality.DegreeCentrality(G).run().scores(), dtype=np.float64)
