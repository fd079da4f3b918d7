"""Turning an analysis input (a :class:`~graphkit.Graph` or a networkx graph) into what the
algorithms need, recording every conversion made."""

from __future__ import annotations

from dataclasses import replace

import networkx as nx
import pandas as pd

from graphkit.graph import Graph

__all__ = ["as_networkx", "undirected", "node_columns", "GraphLike"]

GraphLike = Graph | nx.Graph


def as_networkx(graph: GraphLike) -> nx.Graph:
    """The networkx form of ``graph`` (a projection's cached view, or the graph itself)."""
    if isinstance(graph, Graph):
        return graph.to_networkx()
    if isinstance(graph, nx.Graph):
        return graph
    raise TypeError(f"expected a graphkit.Graph or a networkx graph, got {type(graph).__name__}")


def undirected(graph: GraphLike, weight: str | None, conversions: list[str]) -> nx.Graph:
    """An undirected graph with sorted node order; a directed input has reciprocal weights summed.

    Sorting the nodes fixes the order that seeded algorithms visit them in, so the same
    seed gives the same answer however the graph was built.
    """
    if isinstance(graph, Graph):  # projections are already in a fixed order
        if graph.directed:
            conversions.append("directed graph made undirected, weights of reciprocal edges summed")
            graph = replace(graph, directed=False)
        return graph.to_networkx()
    nodes = sorted(graph.nodes, key=str)
    out = nx.Graph()
    out.add_nodes_from((n, graph.nodes[n]) for n in nodes)
    key = weight or "weight"
    if graph.is_directed():
        conversions.append("directed graph made undirected, weights of reciprocal edges summed")
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        w = data.get(weight, 1.0) if weight else 1.0
        if out.has_edge(u, v):
            out[u][v][key] += w
        else:
            out.add_edge(u, v, **{key: w})
    return out


def node_columns(graph: nx.Graph, nodes: list) -> pd.DataFrame:
    """``kind`` and ``id`` columns for ``nodes`` (attributes, else ``""`` and the node itself)."""
    data = graph.nodes
    return pd.DataFrame(
        {"kind": [data[n].get("kind", "") for n in nodes], "id": [data[n].get("id", n) for n in nodes]}
    )
