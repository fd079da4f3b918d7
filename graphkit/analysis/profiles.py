"""Community profiles: what each community is made of and how separate it is."""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis._checks import SIZE, check_arguments
from graphkit.analysis._dispatch import make_result
from graphkit.analysis._input import GraphLike, align_column, as_graph, fast_undirected
from graphkit.analysis.communities import community_frame
from graphkit.errors import AnalysisError
from graphkit.model import ID, KIND
from graphkit.results import Result

__all__ = ["community_profiles"]

_TOP_KINDS = (model.TOPIC.label, model.INSTITUTION.label, model.CREATOR.label)


def community_profiles(graph: GraphLike, communities: Result | pd.DataFrame, *, weight: str | None = "weight",
                       top: int = 3) -> Result:
    """Each community's profile.

    Size, node-kind mix, top topics, institutions and creators, and conductance.

    Parameters
    ----------
    graph : Graph or networkx graph
        The graph the communities were found in (made undirected, reciprocal weights summed).
    communities : Result or DataFrame
        :func:`~graphkit.analysis.louvain` or :func:`~graphkit.analysis.label_propagation`'s
        result, or a frame with ``kind``, ``id``, ``community``.
    weight : str or None
        Edge weights for strengths and conductance; ``None`` counts edges.
    top : int
        How many top nodes of each kind to name, 0 or more.

    Returns
    -------
    Result
        ``frame``: ``community``, ``size``, one count column per node kind present
        (``creators``, ``institutions``, ``topics``, ``viewers``; ``other`` for nodes of no
        model kind), ``top_topics``, ``top_institutions``, ``top_creators`` (ids joined by
        ``;``, the members with the largest weight of edges inside the community first),
        ``volume`` (sum of members' weighted degrees), ``cut`` (weight of edges leaving),
        ``conductance`` (cut / the smaller of the volumes inside and outside; 0 when nothing
        leaves), sorted by community.

    Raises
    ------
    ArgumentError
        Not a graph, a bad ``top``, or communities of another type or without ``kind``,
        ``id`` and ``community``.
    AnalysisError
        Communities that do not cover the graph's nodes.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(3, 0)
    >>> parts = pd.DataFrame({"kind": [""] * 6, "id": range(6), "community": [0, 0, 0, 1, 1, 1]})
    >>> r = community_profiles(G, parts)
    >>> r.frame[["size", "cut", "conductance"]].to_dict("list")
    {'size': [3, 3], 'cut': [1.0, 1.0], 'conductance': [0.14285714285714285, 0.14285714285714285]}
    """
    check_arguments("community_profiles", graph, top=(top, SIZE))
    frame = community_frame("community_profiles", communities)
    g = fast_undirected(as_graph(graph, weight), [])
    labels = align_column(g, frame, "community")
    if pd.isna(labels).any():
        raise AnalysisError(f"the communities leave out {int(pd.isna(labels).sum())} of the graph's nodes")
    labels = labels.astype(np.int64)
    k = int(labels.max()) + 1 if len(labels) else 0
    s, t, w = g.merged_edges()
    if weight is None:
        w = np.ones(len(s))
    n = g.number_of_nodes()
    strength = np.bincount(s, w, n) + np.bincount(t, w, n)
    same = labels[s] == labels[t]
    inner = np.bincount(s[same], w[same], n) + np.bincount(t[same], w[same], n)
    volume = np.bincount(labels, strength, k)
    cut = np.bincount(labels[s[~same]], w[~same], k) + np.bincount(labels[t[~same]], w[~same], k)
    total = strength.sum()
    smaller = np.minimum(volume, total - volume)
    conductance = np.zeros(k)
    np.divide(cut, smaller, out=conductance, where=(cut > 0) & (smaller > 0))
    out = pd.DataFrame({"community": np.arange(k), "size": np.bincount(labels, minlength=k)})
    kinds = g.kinds.astype(str)
    labelled = {kind.label: kind.file for kind in model.NODE_KINDS}
    for label, column in labelled.items():
        if (kinds == label).any():
            out[column] = np.bincount(labels[kinds == label], minlength=k)
    other = ~np.isin(kinds, list(labelled))
    if other.any():
        out["other"] = np.bincount(labels[other], minlength=k)
    members = pd.DataFrame({"community": labels, KIND: kinds, ID: g.ids, "inner": inner})
    members = members.assign(_id=members[ID].map(str)).sort_values(["inner", "_id"], ascending=[False, True],
                                                                     kind="mergesort")
    for label in _TOP_KINDS:
        part = members[members[KIND] == label]
        best = part.groupby("community", sort=True).head(top).groupby("community")["_id"].agg(";".join)
        out[f"top_{labelled[label]}"] = [best.get(c, "") for c in range(k)]
    out = out.assign(volume=volume, cut=cut, conductance=conductance)
    params = {"weight": weight, "top": top}
    summary = {"communities": k, "mean_conductance": float(conductance.mean()) if k else 0.0}
    return make_result(out, "community_profiles", params, "numpy", summary=summary, graph=graph)
