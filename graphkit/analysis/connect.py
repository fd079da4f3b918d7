"""Question 1, efficient connectivity: does knowledge get from institutions to the public?

Four answers, each a :class:`~graphkit.Result` whose frame names institutions, creators,
topics and fields (ids and names); viewers appear only as counts per segment.

- :func:`institution_reach`: the share of viewers within 1..h hops of each institution, of
  each institution category and of each field, overall and per viewer segment, on the
  ``reach`` analysis graph (hops ignore direction and weights).
- :func:`interest_match` and :func:`interest_served`: whether viewers' engagement lands in
  the topics they declared interest in, and the fields whose interested viewers watch them least.
- :func:`brokers` (with :func:`participation_coefficient`): creators on the shortest paths
  from institutions to viewers, and creators whose ties span communities.
- :func:`co_creation` and :func:`partnership_effect`: which institutions reach which fields
  through which creators, and whether partnered creators reach more viewers than comparable
  creators that are not partnered (a matched comparison, with a bootstrap interval).

A result's ``segment`` column names the viewer property a row is broken down by (``age_band``,
``region_type``) and ``value`` its value; :data:`ALL` in both is the row over every viewer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis._checks import COUNT, POSITIVE, SEED, check_arguments, check_known
from graphkit.analysis._dispatch import EngineName, make_result
from graphkit.analysis._frames import FIELD, UNKNOWN_FIELD, check_frame, names, topic_fields
from graphkit.analysis._input import GraphLike, align_column, as_graph, networkit
from graphkit.analysis.communities import community_frame
from graphkit.analysis.hops import REACH_RELATIONSHIPS
from graphkit.analysis.shortest_paths import broker_score
from graphkit.errors import ArgumentError
from graphkit.graph import Graph
from graphkit.results import Result

__all__ = [
    "ALL",
    "SEGMENTS",
    "brokers",
    "co_creation",
    "institution_fields",
    "institution_reach",
    "interest_match",
    "interest_served",
    "participation_coefficient",
    "partnership_effect",
]

#: The ``segment`` and ``value`` (and ``field``, ``id``) of a row over everything: no breakdown.
ALL = "all"
#: The viewer properties results are broken down by, one at a time: the model's viewer enums.
SEGMENTS: tuple[str, ...] = tuple(p.name for p in model.VIEWER.properties if p.values)
_ID, _SRC, _DST = model.ID, model.SOURCE_ID, model.TARGET_ID
_LEVELS = (ALL, "category", FIELD, "institution")


# --- shared pieces ------------------------------------------------------------------------

def _segment_codes(function: str, viewers: pd.DataFrame, segments: Sequence[str]) -> list[tuple[str, list, np.ndarray]]:
    """For ``all`` and each segment: its name, its values (model order, then sorted), each viewer's code."""
    if isinstance(segments, str):
        segments = [segments]
    check_known(function, "segment", segments, [c for c in viewers.columns if c != _ID], where="viewers have")
    out: list[tuple[str, list, np.ndarray]] = [(ALL, [ALL], np.zeros(len(viewers), dtype=np.int64))]
    for name in segments:
        values = viewers[name].astype(object).where(viewers[name].notna(), "unknown").astype(str)
        known = next((p.values for p in model.VIEWER.properties if p.name == name), ())
        present = set(values.unique())
        order = [v for v in known if v in present] + sorted(present - set(known))
        out.append((name, order, pd.Index(order).get_indexer(values)))
    return out


def _names(ids: pd.Series | np.ndarray, nodes: pd.DataFrame) -> np.ndarray:
    """:func:`~graphkit.analysis._frames.names`, and ``""`` for every id when ``nodes`` has no names."""
    return names(ids, nodes) if "name" in nodes.columns else np.full(len(ids), "", dtype=object)


def _fields(topics: pd.DataFrame, subtopic_of: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each topic's field (by topic id) and each topic's name (by id)."""
    return topic_fields(topics, subtopic_of), pd.Series(_names(topics[_ID], topics), index=topics[_ID].to_numpy())


def _creator_fields(function: str, creators: pd.DataFrame, topics: pd.DataFrame,
                    subtopic_of: pd.DataFrame) -> pd.DataFrame:
    """``id``, ``name``, ``primary_topic``, ``topic_name``, ``field``, ``field_name`` of every creator."""
    check_frame(function, "creators", creators, (_ID, model.PRIMARY_TOPIC))
    check_frame(function, "topics", topics, (_ID,))
    field, topic_name = _fields(topics, subtopic_of)
    primary = creators[model.PRIMARY_TOPIC].astype(object).where(creators[model.PRIMARY_TOPIC].notna(), "")
    f = primary.map(field).fillna(UNKNOWN_FIELD)
    return pd.DataFrame({_ID: creators[_ID].to_numpy(dtype=object), "name": _names(creators[_ID], creators),
                         model.PRIMARY_TOPIC: primary.to_numpy(dtype=object),
                         "topic_name": primary.map(topic_name).fillna("").to_numpy(dtype=object),
                         FIELD: f.to_numpy(dtype=object), "field_name": f.map(topic_name).fillna("").to_numpy(dtype=object)})


def _index(function: str, what: str, ids: pd.Series, index: pd.Index, of: str) -> np.ndarray:
    """Positions of ``ids`` in ``index``; refuses ids it lacks (naming a few)."""
    where = index.get_indexer(ids.to_numpy(dtype=object))
    if (where < 0).any():
        missing = ", ".join(map(repr, pd.unique(ids[where < 0])[:3]))
        raise ArgumentError(f"{function}: {what} names {of} not in the {of} frame (e.g. {missing}); pass frames "
                            "of the same store")
    return where


# --- reach ---------------------------------------------------------------------------------

def institution_fields(institutions: pd.DataFrame, creators: pd.DataFrame, affiliated_with: pd.DataFrame,
                       partners_with: pd.DataFrame, topics: pd.DataFrame, subtopic_of: pd.DataFrame) -> pd.DataFrame:
    """Each institution's field: where most of its affiliated and partner creators work.

    An institution's field is the top-level field (level-0 topic) holding the primary topics
    of most of its distinct affiliated and partner creators, ties to the smallest field id;
    ``""`` when none of them has a primary topic.

    Returns
    -------
    DataFrame
        ``id``, ``field``, ``field_name``, ``tied_creators`` (distinct affiliated or partner
        creators with a primary topic), ``field_creators`` (those in the field), one row per
        institution, sorted by id.

    Examples
    --------
    >>> topics = pd.DataFrame({"id": ["f1", "f2", "s1"], "name": ["Science", "Health", "Physics"]})
    >>> sub = pd.DataFrame({"source_id": ["s1"], "target_id": ["f1"]})
    >>> creators = pd.DataFrame({"id": ["a", "b", "c"], "primary_topic": ["s1", "f2", "f2"]})
    >>> aff = pd.DataFrame({"source_id": ["a", "b"], "target_id": ["i1", "i1"]})
    >>> part = pd.DataFrame({"source_id": ["i1", "i2"], "target_id": ["c", "a"]})
    >>> institution_fields(pd.DataFrame({"id": ["i1", "i2"]}), creators, aff, part, topics, sub)
       id field field_name  tied_creators  field_creators
    0  i1    f2     Health              3               2
    1  i2    f1    Science              1               1
    """
    fn = "institution_fields"
    check_frame(fn, "institutions", institutions, (_ID,))
    for name, frame in (("affiliated_with", affiliated_with), ("partners_with", partners_with)):
        check_frame(fn, name, frame, (_SRC, _DST))
    info = _creator_fields(fn, creators, topics, subtopic_of).set_index(_ID)
    ties = pd.DataFrame({"i": np.concatenate([affiliated_with[_DST].to_numpy(dtype=object),
                                              partners_with[_SRC].to_numpy(dtype=object)]),
                         "c": np.concatenate([affiliated_with[_SRC].to_numpy(dtype=object),
                                              partners_with[_DST].to_numpy(dtype=object)])}).drop_duplicates()
    ties[FIELD] = ties["c"].map(info[FIELD]).fillna(UNKNOWN_FIELD)
    ties = ties[ties[FIELD] != UNKNOWN_FIELD]
    count = ties.groupby(["i", FIELD]).size().rename("n").reset_index()
    best = count.sort_values(["i", "n", FIELD], ascending=[True, False, True], kind="mergesort").drop_duplicates("i")
    out = pd.DataFrame({_ID: institutions[_ID].to_numpy(dtype=object)})
    out[FIELD] = out[_ID].map(best.set_index("i")[FIELD]).fillna(UNKNOWN_FIELD)
    out["field_name"] = out[FIELD].map(_fields(topics, subtopic_of)[1]).fillna("")
    out["tied_creators"] = out[_ID].map(count.groupby("i")["n"].sum()).fillna(0).astype(np.int64)
    out["field_creators"] = out[_ID].map(best.set_index("i")["n"]).fillna(0).astype(np.int64)
    return out.sort_values(_ID, kind="mergesort").reset_index(drop=True)


def institution_reach(graph: GraphLike, institutions: pd.DataFrame, viewers: pd.DataFrame, *,
                      fields: pd.DataFrame | None = None, max_hops: int = 4,
                      segments: Sequence[str] = SEGMENTS) -> Result:
    """The share of viewers within 1..h hops of each institution, category and field.

    One breadth-first search (NetworKit) from each institution over every edge of ``graph``
    (``store.analysis_graph("reach")``: affiliations, partnerships, collaborations, follows and
    engagement), in either direction, weights ignored; edges of other types, if the graph has
    any, are left out.  A category's or field's reach is that of all its institutions together
    (the distance to the nearest of them), as is the row over every institution.  The counts
    are those of the named query ``institution_reach`` (``store.query("institution_reach",
    institution=..., k=...)``) on either store.

    Parameters
    ----------
    graph : Graph or networkx graph
        The reach graph (a networkx graph's nodes carry ``kind`` and ``id``, its edges ``type``).
    institutions : DataFrame
        ``store.nodes("Institution")``: ``id``, ``name``, ``category``.
    viewers : DataFrame
        ``store.nodes("Viewer")``: ``id`` and the ``segments`` columns; the denominators.
    fields : DataFrame, optional
        ``id``, ``field``, ``field_name`` per institution (:func:`institution_fields`); ``None``:
        no field rows.  Institutions without a field (``""``) are in no field's row.
    max_hops : int
        Hops reported, at least 1.
    segments : sequence of str
        Viewer columns to break each row down by, one at a time (default age band, region type).

    Returns
    -------
    Result
        ``frame``: one row per source set × segment value × hop: ``level`` (``all``,
        ``category``, ``field``, ``institution``), ``id`` (institution id, category, field id,
        ``all``), ``name`` (institution, category or field name), ``category`` and ``field``,
        ``field_name`` (an institution's; a category's or field's own; ``""`` otherwise),
        ``institutions`` (in the source set), ``segment``, ``value``, ``viewers`` (viewers of
        that segment value: the denominator), ``hop`` (1..max_hops), ``reached_at_hop``
        (viewers exactly ``hop`` hops away: the hop distribution), ``reached_within``
        (cumulative), ``share_within`` (``reached_within / viewers``) and ``creators_within``
        (creators within ``hop`` hops, whatever the segment).  Sorted by level (as listed),
        id, segment (``all`` first, then as given), value (the model's order), hop.
        ``summary``: ``institutions``, ``viewers``, ``max_hops`` and, for the nearest of every
        institution, ``share_within_<h>`` and ``hops_<h>`` (viewers exactly h hops away).

    Raises
    ------
    ArgumentError
        Not a graph, a bad ``max_hops``, a frame without its columns, an unknown segment, or
        graph viewers missing from ``viewers``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("i", {"kind": "Institution", "id": "i"}), ("c", {"kind": "Creator", "id": "c"}),
    ...                   ("v1", {"kind": "Viewer", "id": "v1"}), ("v2", {"kind": "Viewer", "id": "v2"})])
    >>> G.add_edges_from([("i", "c", {"type": "PARTNERS_WITH"}), ("v1", "c", {"type": "FOLLOWS"})])
    >>> inst = pd.DataFrame({"id": ["i"], "name": ["Lab"], "category": ["museum"]})
    >>> views = pd.DataFrame({"id": ["v1", "v2"], "age_band": ["60_plus", "18_24"], "region_type": "rural"})
    >>> r = institution_reach(G, inst, views, max_hops=2, segments=["age_band"])
    >>> mine = r.frame[r.frame["level"] == "institution"]
    >>> print(mine[["value", "hop", "viewers", "reached_within", "share_within"]].to_string(index=False))
      value  hop  viewers  reached_within  share_within
        all    1        2               0           0.0
        all    2        2               1           0.5
      18_24    1        1               0           0.0
      18_24    2        1               0           0.0
    60_plus    1        1               0           0.0
    60_plus    2        1               1           1.0
    """
    fn = "institution_reach"
    check_arguments(fn, graph, max_hops=(max_hops, COUNT))
    check_frame(fn, "institutions", institutions, (_ID, "name", "category"))
    check_frame(fn, "viewers", viewers, (_ID,))
    if fields is not None:
        check_frame(fn, "fields", fields, (_ID, FIELD, "field_name"))
    codes = _segment_codes(fn, viewers, segments)
    g = as_graph(graph, None)
    dist_v, dist_c, conversions = _distances(fn, g, institutions, viewers, max_hops)
    h = max_hops
    inst = institutions.reset_index(drop=True)
    category = inst["category"].astype(object).fillna("").astype(str).to_numpy()
    field_of = (inst[_ID].map(fields.drop_duplicates(_ID).set_index(_ID)[FIELD]).fillna(UNKNOWN_FIELD).to_numpy()
                if fields is not None else np.full(len(inst), UNKNOWN_FIELD, dtype=object))
    field_name = {} if fields is None else dict(zip(fields[FIELD], fields["field_name"]))
    groups: list[tuple[str, str, str, str, str, np.ndarray]] = [(ALL, ALL, "all institutions", "", "",
                                                                   np.arange(len(inst)))]
    cats = [c for c in model.INSTITUTION_CATEGORIES if c in set(category)] + sorted(
        set(category) - set(model.INSTITUTION_CATEGORIES))
    groups += [("category", c, c, c, "", np.flatnonzero(category == c)) for c in cats]
    groups += [(FIELD, f, field_name.get(f, ""), "", f, np.flatnonzero(field_of == f))
               for f in sorted(set(field_of) - {UNKNOWN_FIELD})]
    names_ = inst["name"].astype(object).fillna("").to_numpy()
    order = np.argsort(inst[_ID].to_numpy(dtype=str), kind="stable")
    groups += [("institution", inst[_ID].iat[i], names_[i], category[i], field_of[i], np.array([i])) for i in order]
    rows, blocks = [], []
    for level, gid, name, cat, fld, members in groups:
        dv = dist_v[members].min(axis=0) if len(members) else np.full(dist_v.shape[1], h + 1, dtype=np.uint8)
        dc = dist_c[members].min(axis=0) if len(members) else np.full(dist_c.shape[1], h + 1, dtype=np.uint8)
        creators_within = np.cumsum(np.bincount(dc, minlength=h + 2)[1:h + 1])
        for segment, values, code in codes:
            at = np.bincount(code * (h + 2) + dv, minlength=len(values) * (h + 2)).reshape(len(values), h + 2)
            for k, value in enumerate(values):
                rows.append((level, gid, name, cat, fld, field_name.get(fld, name if level == FIELD else ""),
                             len(members), segment, value, int(at[k].sum())))
                blocks.append(np.stack([at[k, 1:h + 1], creators_within]))
    frame = pd.DataFrame(np.repeat(np.array(rows, dtype=object), h, axis=0),
                         columns=["level", _ID, "name", "category", FIELD, "field_name", "institutions", "segment",
                                  "value", "viewers"])
    frame["field_name"] = frame["field_name"].where(frame[FIELD] != "", "")
    frame = frame.astype({"institutions": np.int64, "viewers": np.int64})
    frame["hop"] = np.tile(np.arange(1, h + 1), len(rows))
    stacked = np.concatenate(blocks, axis=1) if blocks else np.zeros((2, 0), dtype=np.int64)
    frame["reached_at_hop"] = stacked[0].astype(np.int64)
    frame["reached_within"] = frame.groupby(np.repeat(np.arange(len(rows)), h))["reached_at_hop"].cumsum()
    frame["share_within"] = frame["reached_within"] / frame["viewers"].where(frame["viewers"] > 0)
    frame["creators_within"] = stacked[1].astype(np.int64)
    top = frame.iloc[:h]
    summary: dict = {"institutions": len(inst), "viewers": len(viewers), "max_hops": h}
    for hop, share, at in zip(top["hop"], top["share_within"], top["reached_at_hop"]):
        summary[f"share_within_{hop}"] = float(share) if pd.notna(share) else 0.0
        summary[f"hops_{hop}"] = int(at)
    params = {"institutions": len(inst), "viewers": len(viewers), "fields": fields is not None,
              "max_hops": h, "segments": [c[0] for c in codes[1:]]}
    return make_result(frame, fn, params, "fast", library="networkit", conversions=conversions, summary=summary,
                       graph=graph)


def _distances(fn: str, g: Graph, institutions: pd.DataFrame, viewers: pd.DataFrame,
               h: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Hops (capped at ``h + 1``: beyond or unreached) from each institution to each viewer and creator.

    ``uint8`` matrices, institutions × viewers (in ``viewers`` order) and × creators (graph order).
    """
    kinds = g.kinds.astype(str)
    ids = g.ids.astype(object)
    inst_pos = pd.Index(ids[kinds == model.INSTITUTION.label]).get_indexer(institutions[_ID].to_numpy(dtype=object))
    inst_pos = np.where(inst_pos >= 0, np.flatnonzero(kinds == model.INSTITUTION.label)[np.maximum(inst_pos, 0)], -1)
    graph_viewers = np.flatnonzero(kinds == model.VIEWER.label)
    frame_index = pd.Index(viewers[_ID].to_numpy(dtype=object))
    where = frame_index.get_indexer(ids[graph_viewers])
    if (where < 0).any():
        raise ArgumentError(f"{fn}: the graph has {(where < 0).sum()} viewers that viewers lacks; pass "
                            "store.nodes('Viewer') of the store the graph was projected from")
    viewer_pos = np.full(len(viewers), -1, dtype=np.int64)
    viewer_pos[where] = graph_viewers  # viewers of the frame not in the graph are never reached
    creator_pos = np.flatnonzero(kinds == model.CREATOR.label)
    conversions = ["paths ignore edge direction and weight"]
    types = g.rel_types.astype(str)
    keep = np.isin(types, REACH_RELATIONSHIPS)
    dist_v = np.full((len(inst_pos), len(viewers)), h + 1, dtype=np.uint8)
    dist_c = np.full((len(inst_pos), len(creator_pos)), h + 1, dtype=np.uint8)
    with networkit() as nk:
        if keep.all():
            G = g.undirected().to_networkit(weighted=None)
        else:  # e.g. the whole graph: only the ways knowledge passes to the public
            conversions.append(f"only {', '.join(REACH_RELATIONSHIPS)} edges kept")
            G = nk.GraphFromCoo((g.source[keep].astype(np.uint64), g.target[keep].astype(np.uint64)),
                                n=g.number_of_nodes(), weighted=False, directed=False)
        seen = viewer_pos >= 0
        for row, p in enumerate(inst_pos):
            if p < 0:
                continue  # an institution the graph lacks reaches nobody
            d = np.minimum(np.asarray(nk.distance.BFS(G, int(p), storePaths=False).run().getDistances()), h + 1)
            dist_v[row, seen] = d[viewer_pos[seen]]
            dist_c[row] = d[creator_pos]
    return dist_v, dist_c, conversions
