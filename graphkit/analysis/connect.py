"""Question 1, efficient connectivity: how far institutions are from the public.

:func:`institution_reach`: the share of viewers within 1..h hops of each institution, of each
institution category and of each field (:func:`institution_fields`), overall and per viewer
segment, on the ``reach`` analysis graph (hops ignore direction and weights).  The rest of
question 1 is in :mod:`~graphkit.analysis.interest` (does engagement match declared
interest), :mod:`~graphkit.analysis.brokers` (who carries knowledge, who bridges
communities) and :mod:`~graphkit.analysis.cocreation` (institutions' partnerships).

A result's ``segment`` column names the viewer property a row is broken down by (``age_band``,
``region_type``) and ``value`` its value; ``"all"`` in both is the row over every viewer.
Viewers appear only as counts per segment.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from graphkit import model
from graphkit.analysis._checks import COUNT, check_arguments
from graphkit.analysis._dispatch import make_result
from graphkit.analysis._frames import (
    ALL,
    FIELD,
    SEGMENTS,
    UNKNOWN_FIELD,
    check_frame,
    creator_fields,
    fields_and_names,
    segment_codes,
)
from graphkit.analysis._input import GraphLike, as_graph
from graphkit.analysis.hops import REACH_RELATIONSHIPS
from graphkit.errors import ArgumentError
from graphkit.graph import Graph
from graphkit.results import Result

__all__ = ["ALL", "SEGMENTS", "institution_fields", "institution_reach"]

_ID, _SRC, _DST = model.ID, model.SOURCE_ID, model.TARGET_ID


_LEVELS = (ALL, "category", FIELD, "institution")


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
    info = creator_fields(fn, creators, topics, subtopic_of).set_index(_ID)
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
    out["field_name"] = out[FIELD].map(fields_and_names(topics, subtopic_of)[1]).fillna("")
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
    codes = segment_codes(fn, viewers, segments)
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
