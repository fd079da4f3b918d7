"""Connectivity.

Weak and strong components, the giant component's share, density, bridges and
articulation points.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.analysis._checks import check_arguments
from graphkit.analysis._dispatch import EngineName, Output, dispatch, implements
from graphkit.analysis._input import GraphLike, edge_frame, networkit, node_columns, node_frame
from graphkit.errors import AnalysisError
from graphkit.graph import Graph
from graphkit.results import Result

__all__ = ["articulation_points", "bridges", "components"]


def components(graph: GraphLike, *, strong: bool = False, engine: EngineName = "auto") -> Result:
    """Connected components (weak ones for a directed graph unless ``strong``).

    Parameters
    ----------
    graph : Graph or networkx graph
    strong : bool
        Strongly connected components of a directed graph.
    engine : {"auto", "fast", "reference"}
        ``"auto"``: the fast engine (NetworKit) above 5,000 edges, the reference one
        (networkx) below; ``"networkit"`` and ``"networkx"`` are their aliases.

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
    check_arguments("components", graph)
    return dispatch("components", graph, engine, {"strong": strong}, before=_strong_needs_direction(strong),
                    finish=_components, strong=strong)


def _strong_needs_direction(strong: bool):
    def check(graph: GraphLike, engine: str) -> None:
        if strong and not graph.is_directed():
            raise AnalysisError("strong components need a directed graph; this one is undirected")

    return check


@implements("components", "fast")
def _components_fast(g: Graph, *, strong: bool) -> Output:
    with networkit() as nk:
        G = g.to_networkit(None)
        if not g.directed:
            algo = nk.components.ConnectedComponents(G)
        elif strong:
            algo = nk.components.StronglyConnectedComponents(G)
        else:
            algo = nk.components.WeaklyConnectedComponents(G)
        algo.run()
        labels = np.asarray(algo.getPartition().getVector(), dtype=np.int64)
    isolates, density = _isolates_and_density(g)
    summary = {"nodes": g.number_of_nodes(), "edges": len(g.merged_edges()[0]), "density": density,
               "isolates": isolates}
    return Output("networkit", {"component": labels}, by="component", labels=True, summary=summary)


@implements("components", "reference")
def _components_reference(G: nx.Graph, *, strong: bool) -> Output:
    if G.is_directed():
        parts = nx.strongly_connected_components(G) if strong else nx.weakly_connected_components(G)
    else:
        parts = nx.connected_components(G)
    nodes, labels = [], []
    for index, members in enumerate(parts):
        nodes.extend(members)
        labels.extend([index] * len(members))
    n = G.number_of_nodes()
    summary = {"nodes": n, "edges": G.number_of_edges(), "density": nx.density(G) if n > 1 else 0.0,
               "isolates": nx.number_of_isolates(G)}
    return Output("networkx", {"component": np.asarray(labels, dtype=np.int64)}, rows=nodes, by="component",
                  labels=True, summary=summary)


def _components(frame: pd.DataFrame, found: dict) -> tuple[pd.DataFrame, dict]:
    n = found["nodes"]
    sizes = np.bincount(frame["component"].to_numpy()) if n else np.zeros(0, dtype=np.int64)
    giant = int(sizes.max()) if len(sizes) else 0
    return frame, {
        "nodes": n,
        "edges": found["edges"],
        "components": len(sizes),
        "giant_size": giant,
        "giant_share": giant / n if n else 0.0,
        "density": float(found["density"]),
        "isolates": int(found["isolates"]),
    }


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


def bridges(graph: GraphLike, *, engine: EngineName = "auto") -> Result:
    """Bridges: edges whose removal disconnects their ends (of the undirected graph).

    Parameters
    ----------
    graph : Graph or networkx graph
    engine : {"auto", "fast", "reference"}

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
    check_arguments("bridges", graph)
    return dispatch("bridges", graph, engine, {}, undirected=True, finish=_count("bridges"))


@implements("bridges", "fast")
def _bridges_fast(g: Graph) -> Output:
    ends = np.array([b for b in _blocks(g) if len(b) == 2], dtype=np.int64).reshape(-1, 2)
    return Output("networkit", frame=edge_frame(node_frame(g, ends[:, 0]), node_frame(g, ends[:, 1])))


@implements("bridges", "reference")
def _bridges_reference(G: nx.Graph) -> Output:
    found = list(nx.bridges(G))
    return Output("networkx", frame=edge_frame(node_columns(G, [u for u, _ in found]),
                                               node_columns(G, [v for _, v in found])))


def _count(name: str):
    """A ``finish`` that counts the frame's rows as ``summary[name]``."""
    def finish(frame: pd.DataFrame, summary: dict) -> tuple[pd.DataFrame, dict]:
        return frame, {name: len(frame), **summary}

    return finish


def articulation_points(graph: GraphLike, *, engine: EngineName = "auto") -> Result:
    """Articulation points: nodes whose removal disconnects the undirected graph.

    Parameters
    ----------
    graph : Graph or networkx graph
    engine : {"auto", "fast", "reference"}

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
    check_arguments("articulation_points", graph)
    return dispatch("articulation_points", graph, engine, {}, undirected=True, finish=_count("articulation_points"))


@implements("articulation_points", "fast")
def _articulation_points_fast(g: Graph) -> Output:
    blocks = [b for b in _blocks(g) if len(b) > 1]
    members = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.int64)
    count = np.bincount(members, minlength=g.number_of_nodes())
    cut = np.flatnonzero(count >= 2)
    return Output("networkit", {"blocks": count[cut]}, rows=cut, by="blocks", summary={"blocks": len(blocks)})


@implements("articulation_points", "reference")
def _articulation_points_reference(G: nx.Graph) -> Output:
    G = nx.Graph(G)
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    blocks = list(nx.biconnected_components(G))
    counts: dict = {}
    for block in blocks:
        for v in block:
            counts[v] = counts.get(v, 0) + 1
    cut = list(nx.articulation_points(G))
    return Output("networkx", {"blocks": np.array([counts[v] for v in cut], dtype=np.int64)}, rows=cut, by="blocks",
                  summary={"blocks": len(blocks)})
