"""Question 1, efficient connectivity: how knowledge gets from institutions to the public.

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
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from graphkit import model
from graphkit.analysis._checks import COUNT, POSITIVE, SEED, check_arguments, check_known
from graphkit.analysis._dispatch import EngineName, make_result
from graphkit.analysis._frames import FIELD, UNKNOWN_FIELD, check_frame, names, topic_fields
from graphkit.analysis._input import GraphLike, align_column, as_graph
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
SEGMENTS = model.SEGMENTS
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


def _distinct(keys: np.ndarray, size: int) -> np.ndarray:
    """The distinct values of ``keys`` (integers in ``[0, size)``), sorted: a table, not a sort."""
    seen = np.zeros(size, dtype=bool)
    seen[keys] = True
    return np.flatnonzero(seen)


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

    Parameters
    ----------
    institutions, creators, topics : DataFrame
        Node frames (``id``; creators with the derived ``primary_topic``; topics with ``name``).
    affiliated_with, partners_with, subtopic_of : DataFrame
        Relationship frames (``source_id``, ``target_id``).

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

    A breadth-first search from each institution (all at once, on bit sets) over every edge of
    ``graph`` (``store.analysis_graph("reach")``: affiliations, partnerships, collaborations,
    follows and engagement), in either direction, weights ignored; edges of other types, if the graph has
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
    return make_result(frame, fn, params, "numpy", conversions=conversions, summary=summary,
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
    if keep.all():
        indptr, indices, _ = g.undirected().csr()
    else:  # e.g. the whole graph: only the ways knowledge passes to the public
        conversions.append(f"only {', '.join(REACH_RELATIONSHIPS)} edges kept")
        n = g.number_of_nodes()
        a = sparse.coo_matrix((np.ones(keep.sum()), (g.source[keep], g.target[keep])), shape=(n, n)).tocsr()
        a = (a + a.T).tocsr()
        indptr, indices = a.indptr, a.indices
    dist = _search(indptr, indices, inst_pos, h)
    dist_v = np.where(viewer_pos >= 0, dist[:, np.maximum(viewer_pos, 0)], h + 1).astype(np.uint8)
    return dist_v, dist[:, creator_pos], conversions


def _search(indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray, h: int) -> np.ndarray:
    """Hops from each source to every node, capped at ``h + 1``: a breadth-first search from all at once.

    Each node carries a bit set of the sources that reached it (64 to a word); one hop ORs
    every node's neighbours' sets (``bitwise_or.reduceat`` over the CSR rows), and a source's
    bit appearing at a node for the first time at hop ``k`` puts it ``k`` hops away (the
    multi-source BFS of Then et al., VLDB 2014).  The work is ``h`` passes over the edges
    whatever the number of sources, where a search per source would make one pass each.
    ``sources`` holds node positions (-1: reaches nothing); the result is sources × nodes.
    """
    n, k = len(indptr) - 1, len(sources)
    words = max((k + 63) // 64, 1)
    reached = np.zeros((n, words), dtype=np.uint64)
    dist = np.full((k, n), h + 1, dtype=np.uint8)
    rows = np.flatnonzero(sources >= 0)
    np.bitwise_or.at(reached, (sources[rows], rows // 64), np.left_shift(np.uint64(1), (rows % 64).astype(np.uint64)))
    dist[rows, sources[rows]] = 0
    busy = np.flatnonzero(np.diff(indptr) > 0)  # reduceat needs non-empty rows
    for hop in range(1, h + 1):
        grown = np.zeros_like(reached)
        if len(busy):
            grown[busy] = np.bitwise_or.reduceat(reached[indices], indptr[busy], axis=0)
        fresh = grown & ~reached
        reached |= grown
        nodes = np.flatnonzero(fresh.any(axis=1))
        bits = np.unpackbits(fresh[nodes].astype("<u8").view(np.uint8), axis=1, bitorder="little")[:, :k]
        node, source = np.nonzero(bits)
        dist[source, nodes[node]] = hop
    return dist


# --- interest match ------------------------------------------------------------------------

def _interest_inputs(fn: str, viewers: pd.DataFrame, engages_with: pd.DataFrame, creators: pd.DataFrame,
                     interested_in: pd.DataFrame, topics: pd.DataFrame, subtopic_of: pd.DataFrame) -> dict:
    """The arrays both interest measures work on: engagement by viewer and topic, declared topics, fields."""
    check_frame(fn, "viewers", viewers, (_ID,))
    check_frame(fn, "engages_with", engages_with, (_SRC, _DST, "views"))
    check_frame(fn, "creators", creators, (_ID, model.PRIMARY_TOPIC))
    check_frame(fn, "interested_in", interested_in, (_SRC, _DST))
    check_frame(fn, "topics", topics, (_ID,))
    check_frame(fn, "subtopic_of", subtopic_of, (_SRC, _DST))
    t_index = pd.Index(topics[_ID].to_numpy(dtype=object))
    field, topic_name = _fields(topics, subtopic_of)
    fields = sorted(set(field.to_numpy()) - {UNKNOWN_FIELD})
    v_index = pd.Index(viewers[_ID].to_numpy(dtype=object))
    primary = creators.set_index(_ID)[model.PRIMARY_TOPIC]
    e_topic = engages_with[_DST].map(primary).astype(object)
    e_t = t_index.get_indexer(e_topic.where(e_topic.notna(), "").to_numpy(dtype=object))
    views = pd.to_numeric(engages_with["views"]).fillna(0).to_numpy(dtype=np.int64)
    return {
        "e_v": _index(fn, "engages_with", engages_with[_SRC], v_index, "viewers"), "e_t": e_t, "views": views,
        "i_v": _index(fn, "interested_in", interested_in[_SRC], v_index, "viewers"),
        "i_t": _index(fn, "interested_in", interested_in[_DST], t_index, "topics"),
        "t_field": pd.Index(fields).get_indexer(field.reindex(t_index).to_numpy(dtype=object)),
        "fields": fields, "field_names": [topic_name.get(f, "") for f in fields], "topics": len(t_index),
        "parent": t_index.get_indexer(t_index.map(subtopic_of.drop_duplicates(_SRC).set_index(_SRC)[_DST]).fillna("")
                                      .to_numpy(dtype=object)),
    }


def interest_match(viewers: pd.DataFrame, engages_with: pd.DataFrame, creators: pd.DataFrame,
                   interested_in: pd.DataFrame, topics: pd.DataFrame, subtopic_of: pd.DataFrame, *,
                   segments: Sequence[str] = SEGMENTS) -> Result:
    """The share of each segment's views that lands in topics its viewers declared interest in.

    A viewer's views of a creator (ENGAGES_WITH ``views``) count for the creator's
    ``primary_topic``; they match when that topic is one the viewer declared (INTERESTED_IN)
    or a subtopic of one, at any depth.  Views of creators without a primary topic (no videos)
    land in no topic and are left out (``summary["views_without_topic"]``).

    Parameters
    ----------
    viewers : DataFrame
        ``id`` and the ``segments`` columns.
    engages_with : DataFrame
        ``source_id`` (viewer), ``target_id`` (creator), ``views``.
    creators : DataFrame
        ``id``, ``primary_topic``.
    interested_in : DataFrame
        ``source_id`` (viewer), ``target_id`` (topic).
    topics, subtopic_of : DataFrame
        The taxonomy: ``id``, ``name``; ``source_id`` is a subtopic of ``target_id``.
    segments : sequence of str
        Viewer columns to break the share down by, one at a time.

    Returns
    -------
    Result
        ``frame``: ``field`` (the field of the creators' primary topics; ``all`` for every
        field), ``field_name``, ``segment``, ``value``, ``viewers`` (distinct viewers of the
        segment value with views there), ``views``, ``matched_views``, ``match_share``
        (``matched_views / views``).  Sorted by field (``all`` first), segment (``all``
        first), value (the model's order).  ``summary``: ``views``, ``matched_views``,
        ``match_share``, ``views_without_topic``.

    Examples
    --------
    >>> topics = pd.DataFrame({"id": ["sci", "phy", "hea"], "name": ["Science", "Physics", "Health"]})
    >>> sub = pd.DataFrame({"source_id": ["phy"], "target_id": ["sci"]})
    >>> creators = pd.DataFrame({"id": ["a", "b"], "primary_topic": ["phy", "hea"]})
    >>> viewers = pd.DataFrame({"id": ["v1", "v2"], "age_band": ["60_plus", "18_24"]})
    >>> eng = pd.DataFrame({"source_id": ["v1", "v1", "v2"], "target_id": ["a", "b", "a"], "views": [3, 1, 2]})
    >>> interest = pd.DataFrame({"source_id": ["v1"], "target_id": ["sci"]})
    >>> r = interest_match(viewers, eng, creators, interest, topics, sub, segments=["age_band"])
    >>> print(r.frame.head(3).to_string(index=False))
    field field_name  segment   value  viewers  views  matched_views  match_share
      all all fields      all     all        2      6              3         0.50
      all all fields age_band   18_24        1      2              0         0.00
      all all fields age_band 60_plus        1      4              3         0.75
    """
    fn = "interest_match"
    d = _interest_inputs(fn, viewers, engages_with, creators, interested_in, topics, subtopic_of)
    codes = _segment_codes(fn, viewers, segments)
    ok = d["e_t"] >= 0
    e_v, e_t, views = d["e_v"][ok], d["e_t"][ok], d["views"][ok]
    n_t, parent = d["topics"], d["parent"]
    declared = np.unique(d["i_v"].astype(np.int64) * n_t + d["i_t"])
    matched = np.zeros(len(e_v), dtype=bool)
    up = e_t.copy()
    for _ in range(n_t):  # the topic, then its parent, ... (a taxonomy is shallower than its size)
        live = up >= 0
        if not live.any():
            break
        key = e_v[live].astype(np.int64) * n_t + up[live]
        pos = np.minimum(np.searchsorted(declared, key), max(len(declared) - 1, 0))
        matched[np.flatnonzero(live)[declared[pos] == key if len(declared) else np.zeros(len(key), bool)]] = True
        up[live] = parent[up[live]]
    f = d["t_field"][e_t]
    f = np.where(f >= 0, f, len(d["fields"]))  # a topic without a field: counted under all fields only
    n_f = len(d["fields"]) + 1
    pairs = _distinct(e_v.astype(np.int64) * n_f + f, len(viewers) * n_f)  # (viewer, field) with views
    engaged = _distinct(e_v, len(viewers))
    rows = []
    for segment, values, code in codes:
        cell = code[e_v] * n_f + f
        size = len(values) * n_f
        v = np.bincount(cell, weights=views, minlength=size).reshape(len(values), n_f)
        m = np.bincount(cell, weights=views * matched, minlength=size).reshape(len(values), n_f)
        who = np.bincount(code[pairs // n_f] * n_f + pairs % n_f, minlength=size).reshape(len(values), n_f)
        everyone = np.bincount(code[engaged], minlength=len(values))
        for k, value in enumerate(values):
            rows.append((ALL, "all fields", segment, value, everyone[k], v[k].sum(), m[k].sum()))
            rows += [(fid, name, segment, value, who[k, j], v[k, j], m[k, j])
                     for j, (fid, name) in enumerate(zip(d["fields"], d["field_names"]))]
    frame = pd.DataFrame(rows, columns=[FIELD, "field_name", "segment", "value", "viewers", "views", "matched_views"])
    frame = frame.astype({"viewers": np.int64, "views": np.int64, "matched_views": np.int64})
    frame["match_share"] = frame["matched_views"] / frame["views"].where(frame["views"] > 0)
    rank = {f: i for i, f in enumerate([ALL, *d["fields"]])}
    frame = frame.iloc[np.argsort(frame[FIELD].map(rank).to_numpy(), kind="stable")]
    total, hit = int(views.sum()), int(views[matched].sum())
    summary = {"views": total, "matched_views": hit, "match_share": hit / total if total else 0.0,
               "views_without_topic": int(d["views"][~ok].sum())}
    params = {"segments": [c[0] for c in codes[1:]]}
    return make_result(frame, fn, params, "numpy", summary=summary)


def interest_served(viewers: pd.DataFrame, engages_with: pd.DataFrame, creators: pd.DataFrame,
                    interested_in: pd.DataFrame, topics: pd.DataFrame, subtopic_of: pd.DataFrame, *,
                    segments: Sequence[str] = SEGMENTS) -> Result:
    """The fields where declared interest is least served: how much interested viewers watch them.

    For each field: the viewers who declared interest in it or in one of its subtopics, and
    the share of their views (of creators with a primary topic) that goes to creators whose
    primary topic lies in the field.  A viewer interested in several fields counts in each.

    Parameters
    ----------
    viewers, engages_with, creators, interested_in, topics, subtopic_of, segments
        As :func:`interest_match`.

    Returns
    -------
    Result
        ``frame``: ``segment``, ``value``, ``field``, ``field_name``, ``interested_viewers``,
        ``their_views`` (all their views), ``views_in_field``, ``served_share``
        (``views_in_field / their_views``; missing when they have no views).  Sorted by segment
        (``all`` first), value, then the least served first (``served_share`` ascending), field.
        ``summary``: ``least_served_field``, ``least_served_field_name``,
        ``least_served_share`` (over every viewer) and ``served_share`` (all fields pooled).

    Examples
    --------
    >>> topics = pd.DataFrame({"id": ["sci", "phy", "hea"], "name": ["Science", "Physics", "Health"]})
    >>> sub = pd.DataFrame({"source_id": ["phy"], "target_id": ["sci"]})
    >>> creators = pd.DataFrame({"id": ["a", "b"], "primary_topic": ["phy", "hea"]})
    >>> viewers = pd.DataFrame({"id": ["v1", "v2"]})
    >>> eng = pd.DataFrame({"source_id": ["v1", "v1", "v2"], "target_id": ["a", "b", "a"], "views": [3, 1, 2]})
    >>> interest = pd.DataFrame({"source_id": ["v1", "v2"], "target_id": ["phy", "hea"]})
    >>> r = interest_served(viewers, eng, creators, interest, topics, sub, segments=[])
    >>> print(r.frame[["field", "interested_viewers", "their_views", "views_in_field", "served_share"]]
    ...       .to_string(index=False))
    field  interested_viewers  their_views  views_in_field  served_share
      hea                   1            2               0          0.00
      sci                   1            4               3          0.75
    """
    fn = "interest_served"
    d = _interest_inputs(fn, viewers, engages_with, creators, interested_in, topics, subtopic_of)
    codes = _segment_codes(fn, viewers, segments)
    ok = d["e_t"] >= 0
    e_v, views, n_f = d["e_v"][ok], d["views"][ok], len(d["fields"])
    f = d["t_field"][d["e_t"][ok]]
    total = np.bincount(e_v, weights=views, minlength=len(viewers))
    known = f >= 0
    by_pair = pd.Series(views[known]).groupby(e_v[known].astype(np.int64) * max(n_f, 1) + f[known]).sum()
    i_f = d["t_field"][d["i_t"]]
    pairs = np.unique(d["i_v"][i_f >= 0].astype(np.int64) * max(n_f, 1) + i_f[i_f >= 0])
    p_v, p_f = pairs // max(n_f, 1), pairs % max(n_f, 1)
    in_field = by_pair.reindex(pairs).fillna(0).to_numpy()
    rows = []
    for segment, values, code in codes:
        cell = code[p_v] * max(n_f, 1) + p_f
        size = len(values) * max(n_f, 1)
        counts = [np.bincount(cell, weights=w, minlength=size).reshape(len(values), -1)
                  for w in (None, total[p_v], in_field)]
        for k, value in enumerate(values):
            rows += [(segment, value, fid, name, counts[0][k, j], counts[1][k, j], counts[2][k, j])
                     for j, (fid, name) in enumerate(zip(d["fields"], d["field_names"]))]
    frame = pd.DataFrame(rows, columns=["segment", "value", FIELD, "field_name", "interested_viewers", "their_views",
                                        "views_in_field"])
    frame = frame.astype({c: np.int64 for c in ("interested_viewers", "their_views", "views_in_field")})
    frame["served_share"] = frame["views_in_field"] / frame["their_views"].where(frame["their_views"] > 0)
    order = {(s, v): i for i, (s, values, _) in enumerate(codes) for v in values}
    frame["_cell"] = [order[(s, v)] for s, v in zip(frame["segment"], frame["value"])]
    frame = frame.sort_values(["_cell", "served_share", FIELD], na_position="last", kind="mergesort")
    frame = frame.drop(columns="_cell")
    overall = frame[(frame["segment"] == ALL) & frame["served_share"].notna()]
    least = overall.iloc[0] if len(overall) else None
    pooled = frame.loc[frame["segment"] == ALL, ["views_in_field", "their_views"]].sum()
    summary = {"least_served_field": "" if least is None else least[FIELD],
               "least_served_field_name": "" if least is None else least["field_name"],
               "least_served_share": None if least is None else float(least["served_share"]),
               "served_share": float(pooled["views_in_field"] / pooled["their_views"]) if pooled["their_views"] else 0.0}
    return make_result(frame, fn, {"segments": [c[0] for c in codes[1:]]}, "numpy", summary=summary)


# --- brokers -------------------------------------------------------------------------------

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
    [['c2', 'Two', 'Physics', 0.75], ['c1', 'One', 'Physics', 0.25]]
    """
    fn = "brokers"
    info = _creator_fields(fn, creators, topics, subtopic_of)
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


# --- co-creation ---------------------------------------------------------------------------

def _reach_by_creator(fn: str, engages_with: pd.DataFrame) -> pd.DataFrame:
    check_frame(fn, "engages_with", engages_with, (_SRC, _DST, "views"))
    return pd.DataFrame({"c": engages_with[_DST].to_numpy(dtype=object), "v": engages_with[_SRC].to_numpy(dtype=object),
                         "views": pd.to_numeric(engages_with["views"]).fillna(0).to_numpy(dtype=np.int64)})


def co_creation(partners_with: pd.DataFrame, affiliated_with: pd.DataFrame, creators: pd.DataFrame,
                institutions: pd.DataFrame, topics: pd.DataFrame, subtopic_of: pd.DataFrame,
                engages_with: pd.DataFrame) -> Result:
    """Which institutions reach which fields through which creators, and how many viewers that reaches.

    Each institution's ties to creators, partnerships by campaign and affiliations, grouped by
    the field of the creators' primary topics, with the distinct viewers who engaged with
    those creators.

    Parameters
    ----------
    partners_with : DataFrame
        ``source_id`` (institution), ``target_id`` (creator), ``campaign``.
    affiliated_with : DataFrame
        ``source_id`` (creator), ``target_id`` (institution).
    creators, institutions : DataFrame
        ``id``, ``name``, and ``primary_topic`` (creators), ``category`` (institutions).
    topics, subtopic_of : DataFrame
        The taxonomy.
    engages_with : DataFrame
        ``source_id`` (viewer), ``target_id`` (creator), ``views``.

    Returns
    -------
    Result
        ``frame``: ``institution``, ``institution_name``, ``category``, ``tie``
        (``partner`` or ``affiliated``), ``campaign`` (a partnership's; ``""`` for
        affiliations), ``field``, ``field_name`` (``""``: creators without a primary topic),
        ``creators`` (distinct), ``creator_names`` (``"; "``-joined, by creator id),
        ``viewers`` (distinct viewers who engaged with them), ``views``.  Sorted by
        institution, tie, campaign, field.  ``summary``: ``partnerships``, ``affiliations``,
        ``institutions_partnering``, ``partner_creators``, ``partner_viewers`` (distinct viewers
        of partner creators), ``fields_reached`` (fields with a partner creator).

    Examples
    --------
    >>> topics = pd.DataFrame({"id": ["h"], "name": ["Health"]})
    >>> sub = pd.DataFrame({"source_id": [], "target_id": []})
    >>> creators = pd.DataFrame({"id": ["a", "b"], "name": ["Ann", "Bo"], "primary_topic": ["h", "h"]})
    >>> inst = pd.DataFrame({"id": ["i"], "name": ["Hospital"], "category": ["hospital"]})
    >>> part = pd.DataFrame({"source_id": ["i", "i"], "target_id": ["a", "b"], "campaign": "public_welfare"})
    >>> aff = pd.DataFrame({"source_id": ["b"], "target_id": ["i"]})
    >>> eng = pd.DataFrame({"source_id": ["v1", "v2", "v1"], "target_id": ["a", "a", "b"], "views": [1, 2, 3]})
    >>> r = co_creation(part, aff, creators, inst, topics, sub, eng)
    >>> print(r.frame[["tie", "campaign", "field_name", "creators", "creator_names", "viewers", "views"]]
    ...       .to_string(index=False))
           tie       campaign field_name  creators creator_names  viewers  views
    affiliated                    Health         1            Bo        1      3
       partner public_welfare     Health         2       Ann; Bo        2      6
    """
    fn = "co_creation"
    check_frame(fn, "partners_with", partners_with, (_SRC, _DST))
    check_frame(fn, "affiliated_with", affiliated_with, (_SRC, _DST))
    check_frame(fn, "institutions", institutions, (_ID, "name", "category"))
    info = _creator_fields(fn, creators, topics, subtopic_of).set_index(_ID)
    campaign = (partners_with["campaign"].astype(object).fillna("none") if "campaign" in partners_with.columns
                else pd.Series("none", index=partners_with.index))
    ties = pd.concat([
        pd.DataFrame({"institution": partners_with[_SRC].to_numpy(dtype=object), "tie": "partner",
                      "campaign": campaign.to_numpy(dtype=object), "c": partners_with[_DST].to_numpy(dtype=object)}),
        pd.DataFrame({"institution": affiliated_with[_DST].to_numpy(dtype=object), "tie": "affiliated",
                      "campaign": "", "c": affiliated_with[_SRC].to_numpy(dtype=object)}),
    ], ignore_index=True).drop_duplicates()
    ties[FIELD] = ties["c"].map(info[FIELD]).fillna(UNKNOWN_FIELD)
    keys = ["institution", "tie", "campaign", FIELD]
    ties = ties.sort_values([*keys, "c"], kind="mergesort")
    ties["_group"] = ties.groupby(keys, sort=False).ngroup()
    groups = ties.groupby("_group", sort=True)
    frame = groups[keys].first()
    frame["creators"] = groups["c"].nunique()
    frame["creator_names"] = ties.assign(n=ties["c"].map(info["name"]).fillna("")).groupby("_group")["n"].agg("; ".join)
    seen = ties[["_group", "c"]].merge(_reach_by_creator(fn, engages_with), on="c")
    frame["viewers"] = seen.groupby("_group")["v"].nunique().reindex(frame.index).fillna(0).astype(np.int64)
    frame["views"] = seen.groupby("_group")["views"].sum().reindex(frame.index).fillna(0).astype(np.int64)
    inst = institutions.drop_duplicates(_ID).set_index(_ID)
    frame.insert(1, "institution_name", frame["institution"].map(inst["name"]).fillna(""))
    frame.insert(2, "category", frame["institution"].map(inst["category"]).fillna(""))
    field_names = _fields(topics, subtopic_of)[1]
    frame.insert(6, "field_name", frame[FIELD].map(field_names).fillna(""))
    frame = frame.reset_index(drop=True)
    partner = ties[ties["tie"] == "partner"]
    summary = {"partnerships": int(len(partner[["institution", "c"]].drop_duplicates())),
               "affiliations": int((ties["tie"] == "affiliated").sum()),
               "institutions_partnering": int(partner["institution"].nunique()),
               "partner_creators": int(partner["c"].nunique()),
               "partner_viewers": int(seen.loc[seen["_group"].isin(partner["_group"]), "v"].nunique()),
               "fields_reached": int(partner.loc[partner[FIELD] != UNKNOWN_FIELD, FIELD].nunique())}
    return make_result(frame, fn, {}, "numpy", summary=summary)


def partnership_effect(partners_with: pd.DataFrame, creators: pd.DataFrame, topics: pd.DataFrame,
                       subtopic_of: pd.DataFrame, engages_with: pd.DataFrame, *, caliper: float | None = 0.1,
                       resamples: int = 1000, seed: int = 0) -> Result:
    """Whether partnered creators reach more viewers than comparable creators who are not partnered.

    The outcome is a creator's reach: the distinct viewers who engaged with it.  The raw
    difference compares the mean reach of every partnered creator (a PARTNERS_WITH target)
    with that of every other creator.  The matched difference pairs each partnered creator
    with the not-partnered creator of the same field and the same ``active`` flag nearest in
    ``log(followers)`` (with replacement; ties to the smallest id), leaves out partnered
    creators with no such creator within ``caliper``, and averages the pairs' differences.
    Institutions choose popular creators as partners, and popularity alone brings viewers;
    matching on followers within the field takes that away, the caliper keeping the most
    popular creators, who have no comparable unpartnered peer, from being compared with
    less popular ones.  The 95% interval is the percentile bootstrap of the pairs (partnered
    creators resampled with their matches, ``resamples`` times, seeded).

    Parameters
    ----------
    partners_with : DataFrame
        ``target_id`` (the partnered creator).
    creators : DataFrame
        ``id``, ``followers``, ``active``, ``primary_topic`` (and ``name``).
    topics, subtopic_of : DataFrame
        The taxonomy, for the fields.
    engages_with : DataFrame
        ``source_id`` (viewer), ``target_id`` (creator), ``views``.
    caliper : float or None
        The largest ``|log(followers) - log(followers of the match)|`` accepted (0.1: about
        10% more or fewer followers); ``None``: any.
    resamples : int
        Bootstrap resamples, at least 1.
    seed : int
        The bootstrap's seed.

    Returns
    -------
    Result
        ``frame``: one row per partnered creator: ``id``, ``name``, ``field``, ``field_name``,
        ``followers``, ``viewers``, ``match_id``, ``match_name``, ``match_followers``,
        ``match_viewers``, ``difference`` (``viewers - match_viewers``; missing when
        unmatched); sorted by id.  ``summary``: ``partnered_creators``, ``other_creators``,
        ``matched_creators``, ``unmatched_creators``, ``partnered_mean_viewers``,
        ``other_mean_viewers``, ``raw_difference_viewers``, ``matched_difference_viewers``,
        ``matched_ci_low_viewers``, ``matched_ci_high_viewers`` (``None`` without pairs),
        ``matching`` (the rule, in words).

    Examples
    --------
    >>> creators = pd.DataFrame({"id": ["a", "b", "c"], "followers": [1000, 1050, 10], "active": True,
    ...                          "primary_topic": "t"})
    >>> topics = pd.DataFrame({"id": ["t"], "name": ["Health"]})
    >>> sub = pd.DataFrame({"source_id": [], "target_id": []})
    >>> eng = pd.DataFrame({"source_id": ["v1", "v2", "v3", "v1"], "target_id": ["a", "a", "a", "b"], "views": 1})
    >>> r = partnership_effect(pd.DataFrame({"target_id": ["a"]}), creators, topics, sub, eng, resamples=10)
    >>> r.frame[["id", "viewers", "match_id", "match_viewers", "difference"]].values.tolist()
    [['a', 3, 'b', 1, 2.0]]
    >>> r.summary["raw_difference_viewers"], r.summary["matched_difference_viewers"]
    (2.5, 2.0)
    """
    fn = "partnership_effect"
    check_arguments(fn, None, caliper=(caliper, POSITIVE.or_none()), resamples=(resamples, COUNT), seed=(seed, SEED))
    check_frame(fn, "partners_with", partners_with, (_DST,))
    check_frame(fn, "creators", creators, (_ID, "followers", model.ACTIVE))
    info = _creator_fields(fn, creators, topics, subtopic_of)
    reach = _reach_by_creator(fn, engages_with).drop_duplicates(["c", "v"]).groupby("c").size()
    y = info[_ID].map(reach).fillna(0).to_numpy(dtype=np.int64)
    followers = pd.to_numeric(creators["followers"]).to_numpy(dtype=float, na_value=np.nan)
    x = np.log(np.maximum(followers, 1.0))  # log(followers), 0 or 1 follower alike
    treated = info[_ID].isin(partners_with[_DST]).to_numpy()
    active = creators[model.ACTIVE].fillna(False).to_numpy(dtype=bool)
    group = pd.factorize(pd.Series(info[FIELD].to_numpy(dtype=str)) + "|" + active.astype(str))[0]
    usable = ~np.isnan(x)
    match = np.full(len(info), -1, dtype=np.int64)
    order = np.lexsort((info[_ID].to_numpy(dtype=str), x))  # by log followers, ties by id
    for gi in np.unique(group[treated & usable]):
        pool = order[(group[order] == gi) & ~treated[order] & usable[order]]
        mine = np.flatnonzero(treated & usable & (group == gi))
        if not len(pool):
            continue
        at = np.searchsorted(x[pool], x[mine])
        left, right = pool[np.maximum(at - 1, 0)], pool[np.minimum(at, len(pool) - 1)]
        # the nearer neighbour; at equal distance the smaller id
        take_right = (np.abs(x[right] - x[mine]) < np.abs(x[left] - x[mine])) | (
            (np.abs(x[right] - x[mine]) == np.abs(x[left] - x[mine]))
            & (info[_ID].to_numpy(dtype=str)[right] < info[_ID].to_numpy(dtype=str)[left]))
        best = np.where(take_right, right, left)
        if caliper is not None:
            best = np.where(np.abs(x[best] - x[mine]) <= caliper, best, -1)
        match[mine] = best
    rows = np.flatnonzero(treated)
    m = match[rows]
    ok = m >= 0
    diff = np.where(ok, y[rows] - y[np.maximum(m, 0)], np.nan)

    def at_match(values: np.ndarray, missing: Any) -> np.ndarray:
        return np.where(ok, values[np.maximum(m, 0)], missing)

    frame = pd.DataFrame({_ID: info[_ID].to_numpy()[rows], "name": info["name"].to_numpy()[rows],
                          FIELD: info[FIELD].to_numpy()[rows], "field_name": info["field_name"].to_numpy()[rows],
                          "followers": followers[rows], "viewers": y[rows],
                          "match_id": at_match(info[_ID].to_numpy(dtype=object), ""),
                          "match_name": at_match(info["name"].to_numpy(dtype=object), ""),
                          "match_followers": at_match(followers, np.nan),
                          "match_viewers": pd.array(np.where(ok, y[np.maximum(m, 0)], 0), dtype="Int64"),
                          "difference": diff})
    frame.loc[~ok, "match_viewers"] = pd.NA
    frame = frame.sort_values(_ID, kind="mergesort")
    pairs = diff[ok]
    low = high = estimate = None
    if len(pairs):
        draws = np.random.default_rng(seed).integers(0, len(pairs), size=(resamples, len(pairs)))
        means = pairs[draws].mean(axis=1)
        estimate, low, high = float(pairs.mean()), *map(float, np.percentile(means, [2.5, 97.5]))
    t_mean = float(y[treated].mean()) if treated.any() else None
    o_mean = float(y[~treated].mean()) if (~treated).any() else None
    summary = {"partnered_creators": int(treated.sum()), "other_creators": int((~treated).sum()),
               "matched_creators": int(ok.sum()), "unmatched_creators": int((~ok).sum()),
               "partnered_mean_viewers": t_mean, "other_mean_viewers": o_mean,
               "raw_difference_viewers": t_mean - o_mean if t_mean is not None and o_mean is not None else None,
               "matched_difference_viewers": estimate, "matched_ci_low_viewers": low, "matched_ci_high_viewers": high,
               "matching": "nearest neighbour on log(followers) within field and active, with replacement, "
                           f"caliper {caliper}"}
    params = {"caliper": caliper, "resamples": resamples, "seed": seed}
    return make_result(frame, fn, params, "numpy", seed=seed, summary=summary)
