"""Connectivity: components, the giant component's share, density."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graphkit.analysis._input import GraphLike, as_networkx, node_columns
from graphkit.results import Provenance, Result

__all__ = ["components"]


def components(graph: GraphLike, *, strong: bool = False) -> Result:
    """Connected components (weak ones for a directed graph unless ``strong``).

    Parameters
    ----------
    graph : Graph or networkx graph
    strong : bool
        Strongly connected components of a directed graph.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``component`` (0 = the largest; ties broken by the
        smallest node key), sorted by component, kind, id.  ``summary``: ``nodes``,
        ``edges``, ``components``, ``giant_size``, ``giant_share`` (of all nodes),
        ``density``, ``isolates``.

    Examples
    --------
    >>> r = components(nx.Graph([(1, 2), (3, 4), (4, 5)]))
    >>> r.summary["components"], r.summary["giant_share"]
    (2, 0.6)
    >>> r.frame["component"].tolist()
    [0, 0, 0, 1, 1]
    """
    G = as_networkx(graph)
    if strong and not G.is_directed():
        raise ValueError("strong components need a directed graph")
    if G.is_directed():
        parts = nx.strongly_connected_components(G) if strong else nx.weakly_connected_components(G)
    else:
        parts = nx.connected_components(G)
    groups = sorted((sorted(map(str, c)), c) for c in parts)
    groups.sort(key=lambda g: -len(g[1]))
    nodes, labels = [], []
    for index, (_, members) in enumerate(groups):
        nodes.extend(members)
        labels.extend([index] * len(members))
    frame = node_columns(G, nodes)
    frame["component"] = labels
    frame = frame.sort_values(["component", "kind", "id"], key=_sortable, ignore_index=True)
    n = G.number_of_nodes()
    giant = len(groups[0][1]) if groups else 0
    summary = {
        "nodes": n,
        "edges": G.number_of_edges(),
        "components": len(groups),
        "giant_size": giant,
        "giant_share": giant / n if n else 0.0,
        "density": nx.density(G) if n > 1 else 0.0,
        "isolates": nx.number_of_isolates(G),
    }
    return Result(frame, Provenance("components", {"strong": strong}, "networkx"), summary)


def _sortable(column: pd.Series) -> pd.Series:
    return column if column.dtype != object else column.map(str)
