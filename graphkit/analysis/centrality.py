"""Centrality: degree and PageRank."""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd

from graphkit.analysis._input import GraphLike, as_networkx, node_columns
from graphkit.results import Provenance, Result

__all__ = ["degree", "pagerank"]


def _ranked(G: nx.Graph, columns: Mapping[str, Mapping]) -> pd.DataFrame:
    """A node frame with score columns, sorted by the first descending then by node key."""
    nodes = list(G.nodes)
    frame = node_columns(G, nodes)
    for name, scores in columns.items():
        frame[name] = [float(scores[n]) for n in nodes]
    frame["_key"] = [str(n) for n in nodes]
    first = next(iter(columns))
    return frame.sort_values([first, "_key"], ascending=[False, True], ignore_index=True).drop(columns="_key")


def degree(graph: GraphLike, *, weight: str | None = None) -> Result:
    """Degree of every node, weighted when ``weight`` names an edge attribute.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``degree`` (and ``in_degree``, ``out_degree`` for a
        directed graph), sorted by degree descending then node key.

    Examples
    --------
    >>> top = degree(nx.star_graph(3)).frame.iloc[0]
    >>> int(top["id"]), float(top["degree"])
    (0, 3.0)
    """
    G = as_networkx(graph)
    columns = {"degree": dict(G.degree(weight=weight))}
    if G.is_directed():
        columns["in_degree"] = dict(G.in_degree(weight=weight))
        columns["out_degree"] = dict(G.out_degree(weight=weight))
    return Result(_ranked(G, columns), Provenance("degree", {"weight": weight}, "networkx"))


def pagerank(
    graph: GraphLike,
    *,
    weight: str | None = "weight",
    alpha: float = 0.85,
    personalization: Mapping | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> Result:
    """PageRank (networkx's), weighted by default, optionally personalised.

    Parameters
    ----------
    personalization : mapping of node to weight, optional
        Restart distribution, e.g. ``{"Institution:i0001": 1}`` to rank by closeness to an
        institution.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``pagerank`` (summing to 1), sorted descending.

    Examples
    --------
    >>> r = pagerank(nx.star_graph(3))
    >>> int(r.frame["id"].iloc[0]), round(float(r.frame["pagerank"].sum()), 6)
    (0, 1.0)
    """
    G = as_networkx(graph)
    scores = nx.pagerank(G, alpha=alpha, personalization=personalization, weight=weight, tol=tol, max_iter=max_iter)
    params = {"weight": weight, "alpha": alpha, "personalization": bool(personalization), "tol": tol}
    return Result(_ranked(G, {"pagerank": scores}), Provenance("pagerank", params, "networkx"))
