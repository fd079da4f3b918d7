"""Community structure: Louvain (python-louvain) with modularity."""

from __future__ import annotations

import community as community_louvain  # python-louvain

from graphkit.analysis._input import GraphLike, node_columns, undirected
from graphkit.results import Provenance, Result

__all__ = ["louvain"]


def louvain(graph: GraphLike, *, weight: str | None = "weight", resolution: float = 1.0, seed: int = 0) -> Result:
    """Louvain communities (python-louvain's ``best_partition``), reproducible for a seed.

    A directed graph is made undirected first, summing the weights of reciprocal edges;
    the provenance says so.  Nodes are visited in a fixed (sorted) order.

    Parameters
    ----------
    graph : Graph or networkx graph
    weight : str or None
        Edge attribute holding weights; ``None`` for unweighted.
    resolution : float
        Modularity resolution; above 1 gives smaller communities.
    seed : int
        Random seed.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``community`` (0 = the largest), sorted by community,
        kind, id.  ``summary``: ``modularity``, ``communities``, ``largest``.

    Examples
    --------
    >>> import networkx as nx
    >>> r = louvain(nx.karate_club_graph(), seed=0)
    >>> r.summary["communities"], round(r.summary["modularity"], 2)
    (4, 0.44)
    """
    conversions: list[str] = []
    G = undirected(graph, weight, conversions)
    key = weight or "weight"
    partition = community_louvain.best_partition(G, weight=key, resolution=resolution, random_state=seed)
    modularity = community_louvain.modularity(partition, G, weight=key) if G.number_of_edges() else 0.0
    nodes = list(partition)
    frame = node_columns(G, nodes)
    frame["community"] = [partition[n] for n in nodes]
    # Relabel by size (largest first), ties by the smallest member key, for stable labels.
    order = frame.assign(key=[str(n) for n in nodes]).groupby("community")["key"].agg(["size", "min"])
    ranked = order.sort_values(["size", "min"], ascending=[False, True]).index
    frame["community"] = frame["community"].map({c: i for i, c in enumerate(ranked)})
    frame = frame.sort_values(["community", "kind", "id"], key=lambda c: c.map(str) if c.dtype == object else c,
                              ignore_index=True)
    params = {"weight": weight, "resolution": resolution, "seed": seed}
    summary = {
        "modularity": float(modularity),
        "communities": int(frame["community"].nunique()),
        "largest": int(order["size"].max()) if len(order) else 0,
    }
    return Result(frame, Provenance("louvain", params, "python-louvain", seed, tuple(conversions)), summary)
