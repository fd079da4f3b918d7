"""Connectivity: weak and strong components, the giant component's share, density, bridges
and articulation points."""

from __future__ import annotations

import networkx as nx
import numpy as np

from graphkit.analysis._arrays import node_rank, ranked_frame, relabel
from graphkit.analysis._input import (
    Engine,
    GraphLike,
    as_graph,
    as_networkx,
    canonical_labels,
    choose_engine,
    edge_frame,
    fast_undirected,
    make_result,
    networkit,
    nk_graph,
    node_columns,
    node_frame,
    sort_frame,
    undirected,
)
from graphkit.errors import AnalysisError
from graphkit.graph import Graph
from graphkit.results import Result

__all__ = ["articulation_points", "bridges", "components"]


def components(graph: GraphLike, *, strong: bool = False, engine: Engine = "auto") -> Result:
    """Connected components (weak ones for a directed graph unless ``strong``).

    Parameters
    ----------
    graph : Graph or networkx graph
    strong : bool
        Strongly connected components of a directed graph.
    engine : {"auto", "networkit", "networkx"}
        ``"auto"``: NetworKit above 5,000 edges, networkx below.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``component`` (0 = the largest; ties broken by the
        smallest member in (kind, id) order), sorted by component, kind, id.  ``summary``:
        ``nodes``, ``edges`` (parallel edges counted once), ``components``, ``giant_size``,
        ``giant_share`` (of all nodes), ``density``, ``isolates``.

    Raises
    ------
    ArgumentError
        Not a graph, or an unknown ``engine``.
    AnalysisError
        ``strong`` on an undirected graph.

    Examples
    --------
    >>> r = components(nx.Graph([(1, 2), (3, 4), (4, 5)]))
    >>> r.summary["components"], r.summary["giant_share"]
    (2, 0.6)
    >>> r.frame["component"].tolist()
    [0, 0, 0, 1, 1]
    >>> components(nx.DiGraph([(1, 2), (2, 1), (2, 3)]), strong=True).summary["components"]
    2
    """
    engine = choose_engine(graph, engine, "components")
    if strong and not graph.is_directed():
        raise AnalysisError("strong components need a directed graph; this one is undirected")
    if engine == "networkit":
        g = as_graph(graph, None)
        with networkit() as nk:
            G = nk_graph(g, None)
            if not g.directed:
                algo = nk.components.ConnectedComponents(G)
            elif strong:
                algo = nk.components.StronglyConnectedComponents(G)
            else:
                algo = nk.components.WeaklyConnectedComponents(G)
            algo.run()
            labels = relabel(np.asarray(algo.getPartition().getVector(), dtype=np.int64), node_rank(g))
        frame = ranked_frame(g, {"component": labels}, "component", descending=False)
        n, m = g.number_of_nodes(), len(g.merged_edges()[0])
        isolates, density = _isolates_and_density(g)
        library = "networkit"
    else:
        G = as_networkx(graph)
        if G.is_directed():
            parts = nx.strongly_connected_components(G) if strong else nx.weakly_connected_components(G)
        else:
            parts = nx.connected_components(G)
        nodes, label_list = [], []
        for index, members in enumerate(parts):
            nodes.extend(members)
            label_list.extend([index] * len(members))
        frame = node_columns(G, nodes).assign(component=np.asarray(label_list, dtype=np.int64))
        frame["component"] = canonical_labels(frame, "component")
        frame = sort_frame(frame, ["component"])
        n, m = G.number_of_nodes(), G.number_of_edges()
        isolates, density = nx.number_of_isolates(G), (nx.density(G) if n > 1 else 0.0)
        library = "networkx"
    sizes = np.bincount(frame["component"].to_numpy()) if n else np.zeros(0, dtype=np.int64)
    giant = int(sizes.max()) if len(sizes) else 0
    summary = {
        "nodes": n,
        "edges": m,
        "components": len(sizes),
        "giant_size": giant,
        "giant_share": giant / n if n else 0.0,
        "density": float(density),
        "isolates": int(isolates),
    }
    return make_result(frame, "components", {"strong": strong}, engine, summary=summary, library=library)


def _isolates_and_density(g: Graph) -> tuple[int, float]:
    """Nodes without edges (a self loop is an edge) and networkx's density, from the arrays."""
    s, t, _ = g.merged_edges()
    n, m = g.number_of_nodes(), len(s)
    touched = np.zeros(n, dtype=bool)
    touched[s] = True
    touched[t] = True
    density = 0.0 if n < 2 else m / (n * (n - 1)) * (1 if g.directed else 2)
    return int(n - touched.sum()), density


def _blocks(g: Graph) -> list[np.ndarray]:
    """Biconnected components (node sets) of ``g`` (undirected), self loops left out."""
    s, t, _ = g.merged_edges()
    keep = s != t
    with networkit() as nk:
        G = nk.GraphFromCoo((s[keep].astype(np.uint64), t[keep].astype(np.uint64)), n=g.number_of_nodes(),
                            weighted=False, directed=False)
        algo = nk.components.BiconnectedComponents(G).run()
        return [np.asarray(c, dtype=np.int64) for c in algo.getComponents()]


def bridges(graph: GraphLike, *, engine: Engine = "auto") -> Result:
    """Bridges: edges whose removal disconnects their ends (of the undirected graph).

    Returns
    -------
    Result
        ``frame``: ``source_kind``, ``source_id``, ``target_kind``, ``target_id``, one row per
        bridge with its ends in (kind, id) order, sorted by the ends.  ``summary``:
        ``bridges``.  A directed graph is made undirected (recorded in the provenance).

    Examples
    --------
    >>> r = bridges(nx.Graph([(1, 2), (2, 3), (3, 1), (3, 4)]))
    >>> r.frame[["source_id", "target_id"]].values.tolist()
    [[3, 4]]
    """
    conversions: list[str] = []
    engine = choose_engine(graph, engine, "bridges")
    if engine == "networkit":
        g = fast_undirected(as_graph(graph, None), conversions)
        pairs = [b for b in _blocks(g) if len(b) == 2]
        ends = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        a, b = node_frame(g, ends[:, 0]), node_frame(g, ends[:, 1])
    else:
        G, _ = undirected(graph, None, conversions)
        found = list(nx.bridges(G))
        a = node_columns(G, [u for u, _ in found])
        b = node_columns(G, [v for _, v in found])
    frame = edge_frame(a, b)
    return make_result(frame, "bridges", {}, engine, conversions=conversions, summary={"bridges": len(frame)})


def articulation_points(graph: GraphLike, *, engine: Engine = "auto") -> Result:
    """Articulation points: nodes whose removal disconnects the undirected graph.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``blocks`` (biconnected components the node belongs to,
        at least 2), sorted by blocks descending, kind, id.  ``summary``:
        ``articulation_points``, ``blocks`` (biconnected components with an edge).

    Examples
    --------
    >>> r = articulation_points(nx.path_graph(4))
    >>> r.frame["id"].tolist(), r.summary["blocks"]
    ([1, 2], 3)
    """
    conversions: list[str] = []
    engine = choose_engine(graph, engine, "articulation_points")
    if engine == "networkit":
        g = fast_undirected(as_graph(graph, None), conversions)
        blocks = [b for b in _blocks(g) if len(b) > 1]
        members = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.int64)
        count = np.bincount(members, minlength=g.number_of_nodes())
        cut = np.flatnonzero(count >= 2)
        frame = ranked_frame(g, {"blocks": count[cut]}, "blocks", index=cut)
        n_blocks = len(blocks)
    else:
        G, _ = undirected(graph, None, conversions)
        G = nx.Graph(G)
        G.remove_edges_from(list(nx.selfloop_edges(G)))
        blocks_nx = list(nx.biconnected_components(G))
        counts: dict = {}
        for block in blocks_nx:
            for v in block:
                counts[v] = counts.get(v, 0) + 1
        cut_nodes = [v for v in nx.articulation_points(G)]
        frame = node_columns(G, cut_nodes).assign(blocks=np.array([counts[v] for v in cut_nodes], dtype=np.int64))
        frame = sort_frame(frame, ["blocks"], [False])
        n_blocks = len(blocks_nx)
    summary = {"articulation_points": len(frame), "blocks": n_blocks}
    return make_result(frame, "articulation_points", {}, engine, conversions=conversions, summary=summary)
