"""Question 1: who carries institutions' knowledge to audiences, and who bridges communities.

:func:`brokers` (the broker score over institution -> viewer shortest paths, with names and
fields) and :func:`participation_coefficient` (how evenly a node's ties spread over
communities).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis._checks import check_arguments
from graphkit.analysis._dispatch import EngineName, make_result
from graphkit.analysis._frames import (
    creator_fields,
)
from graphkit.analysis._input import GraphLike, align_column, as_graph
from graphkit.analysis.communities import community_frame
from graphkit.analysis.shortest_paths import broker_score
from graphkit.results import Result

__all__ = ["brokers", "participation_coefficient"]

_ID, _SRC, _DST = model.ID, model.SOURCE_ID, model.TARGET_ID


def participation_coefficient(graph: GraphLike, communities: Result | pd.DataFrame) -> Result:
    """Guimerà and Amaral's participation coefficient: how evenly a node's ties spread over communities.

    ``P_i = 1 - sum_s (k_is / k_i) ** 2``, where ``k_i`` counts the distinct neighbours of
    ``i`` that have a community and ``k_is`` those in community ``s`` (edges undirected,
    weights and parallel relationships ignored, self loops dropped).  0: every tie inside one
    community; towards 1: ties spread evenly over many.  A node without such a neighbour gets 0.

    Parameters
    ----------
    graph : Graph or networkx graph
    communities : Result or DataFrame
        :func:`graphkit.louvain`'s result or a frame with ``kind``, ``id``, ``community``;
        nodes it lacks count in no community.

    Returns
    -------
    Result
        ``frame``: ``kind``, ``id``, ``community`` (its own, missing if none), ``neighbours``
        (``k_i``), ``neighbour_communities`` (distinct), ``participation``; one row per node,
        sorted by participation (highest first), kind, id.  ``summary``: ``nodes``,
        ``mean_participation`` (over nodes with a neighbour counted), ``unlabelled_nodes``.

    Examples
    --------
    A hub tied to two nodes of community 0 and one of community 1:
    ``1 - (2/3)**2 - (1/3)**2 = 4/9``.

    >>> import networkx as nx
    >>> G = nx.Graph([("h", "a"), ("h", "b"), ("h", "c"), ("a", "b")])
    >>> parts = pd.DataFrame({"kind": "", "id": ["h", "a", "b", "c"], "community": [0, 0, 0, 1]})
    >>> r = participation_coefficient(G, parts)
    >>> print(r.frame.to_string(index=False))
    kind id  community  neighbours  neighbour_communities  participation
          h          0           3                      2       0.444444
          a          0           2                      1       0.000000
          b          0           2                      1       0.000000
          c          1           1                      1       0.000000
    """
    fn = "participation_coefficient"
    check_arguments(fn, graph)
    labels = align_column(as_graph(graph, None), community_frame(fn, communities), "community")
    g = as_graph(graph, None).undirected()
    code, _ = pd.factorize(pd.Series(labels, dtype=object), use_na_sentinel=True)
    s, t, _w = g.merged_edges()
    loop = s == t
    a = np.concatenate([s[~loop], t[~loop]]).astype(np.int64)
    b = np.concatenate([t[~loop], s[~loop]]).astype(np.int64)
    a, b = a[code[b] >= 0], b[code[b] >= 0]
    n, c = g.number_of_nodes(), max(int(code.max()) + 1, 1)
    k = np.bincount(a, minlength=n)
    key, k_s = np.unique(a * c + code[b], return_counts=True)
    node = key // c
    squares = np.bincount(node, weights=(k_s / k[node]) ** 2, minlength=n)
    frame = pd.DataFrame({model.KIND: g.kinds.astype(object), _ID: g.ids.astype(object),
                          "community": pd.array(pd.Series(labels, dtype=object).where(code >= 0), dtype="Int64"),
                          "neighbours": k, "neighbour_communities": np.bincount(node, minlength=n),
                          "participation": np.where(k > 0, 1.0 - squares, 0.0)})
    frame = frame.iloc[np.lexsort((g.rank(), -frame["participation"].to_numpy()))]
    summary = {"nodes": n, "mean_participation": float(frame.loc[frame["neighbours"] > 0, "participation"].mean())
               if (k > 0).any() else 0.0, "unlabelled_nodes": int((code < 0).sum())}
    conversions = ["edges undirected; weights and parallel relationships ignored"]
    return make_result(frame, fn, {}, "numpy", conversions=conversions, summary=summary, graph=graph)


def brokers(graph: GraphLike, creators: pd.DataFrame, topics: pd.DataFrame, subtopic_of: pd.DataFrame, *,
            communities: Result | pd.DataFrame | None = None, engine: EngineName = "auto",
            force: bool = False) -> Result:
    """Creators who carry institutions' knowledge to audiences, and creators who bridge communities.

    The broker score (:func:`graphkit.broker_score`: betweenness over the shortest paths from
    institutions to viewers) on ``graph``, and, given communities, the participation
    coefficient of each creator's ties (:func:`participation_coefficient`, on the same graph).

    Parameters
    ----------
    graph : Graph or networkx graph
        The reach graph (``store.analysis_graph("reach")``).
    creators : DataFrame
        ``id``, ``name``, ``primary_topic``.
    topics, subtopic_of : DataFrame
        The taxonomy, for the fields.
    communities : Result or DataFrame, optional
        E.g. ``graphkit.louvain(graph)``: adds the participation columns.
    engine : {"auto", "fast", "reference"}
        The broker score's engine.
    force : bool
        Run the broker score even when its size check refuses.

    Returns
    -------
    Result
        ``frame``: ``id``, ``name``, ``primary_topic``, ``topic_name``, ``field``,
        ``field_name``, ``broker_score``, and with ``communities``: ``community``,
        ``neighbours``, ``neighbour_communities``, ``participation``.  One row per creator of
        the graph, sorted by broker score (highest first), participation, id.  ``summary``:
        ``creators``, ``max_broker_score``, ``top_broker`` and ``top_broker_name``, and with
        communities ``mean_participation`` and ``top_bridge`` (highest participation).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("i", "c1"), ("c1", "v1"), ("i", "c2"), ("c2", "v1"), ("c2", "v2")])
    >>> nx.set_node_attributes(G, {"i": "Institution", "c1": "Creator", "c2": "Creator",
    ...                            "v1": "Viewer", "v2": "Viewer"}, "kind")
    >>> creators = pd.DataFrame({"id": ["c1", "c2"], "name": ["One", "Two"], "primary_topic": ["t", "t"]})
    >>> topics = pd.DataFrame({"id": ["t"], "name": ["Physics"]})
    >>> sub = pd.DataFrame({"source_id": [], "target_id": []})
    >>> brokers(G, creators, topics, sub).frame[["id", "name", "field_name", "broker_score"]].values.tolist()
    [['c2', 'Two', 'Physics', 1.5], ['c1', 'One', 'Physics', 0.5]]
    """
    fn = "brokers"
    check_arguments(fn, graph)
    info = creator_fields(fn, creators, topics, subtopic_of)
    scored = broker_score(graph, sources=model.INSTITUTION.label, targets=model.VIEWER.label,
                          brokers=model.CREATOR.label, engine=engine, force=force)
    frame = scored.frame[[_ID, "broker_score"]].merge(info, on=_ID, how="left")
    for column in info.columns.drop(_ID):
        frame[column] = frame[column].fillna("")
    frame = frame[[*info.columns, "broker_score"]]
    summary: dict = {"creators": len(frame), "max_broker_score": float(frame["broker_score"].max()) if len(frame)
                     else 0.0}
    by, ascending = ["broker_score"], [False]
    if communities is not None:
        bridges = participation_coefficient(graph, communities).frame
        bridges = bridges[bridges[model.KIND] == model.CREATOR.label].drop(columns=model.KIND)
        frame = frame.merge(bridges, on=_ID, how="left")
        by, ascending = ["broker_score", "participation"], [False, False]
        top = frame.sort_values(["participation", _ID], ascending=[False, True], kind="mergesort")
        summary.update(mean_participation=float(frame["participation"].mean()) if len(frame) else 0.0,
                       top_bridge=top[_ID].iat[0] if len(top) else "")
    frame = frame.sort_values([*by, _ID], ascending=[*ascending, True], kind="mergesort")
    summary.update(top_broker=frame[_ID].iat[0] if len(frame) else "",
                   top_broker_name=frame["name"].iat[0] if len(frame) else "")
    params = {"communities": communities is not None, "force": force, "engine": scored.provenance.parameters["engine"]}
    return make_result(frame, fn, params, params["engine"], library=scored.provenance.engine,
                       conversions=scored.provenance.conversions, summary=summary, graph=graph)
