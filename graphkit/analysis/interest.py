"""Question 1: whether viewers' engagement lands in the topics they declared interest in.

:func:`interest_match` (the share of each segment's views in declared topics, per field) and
:func:`interest_served` (per field, the share of its interested viewers' views it gets; the
least served first).  Viewers appear only as counts per segment.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis._dispatch import make_result
from graphkit.analysis._frames import (
    ALL,
    FIELD,
    SEGMENTS,
    UNKNOWN_FIELD,
    check_frame,
    distinct,
    fields_and_names,
    positions,
    segment_codes,
)
from graphkit.results import Result

__all__ = ["interest_match", "interest_served"]

_ID, _SRC, _DST = model.ID, model.SOURCE_ID, model.TARGET_ID


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
    field, topic_name = fields_and_names(topics, subtopic_of)
    fields = sorted(set(field.to_numpy()) - {UNKNOWN_FIELD})
    v_index = pd.Index(viewers[_ID].to_numpy(dtype=object))
    primary = creators.set_index(_ID)[model.PRIMARY_TOPIC]
    e_topic = engages_with[_DST].map(primary).astype(object)
    e_t = t_index.get_indexer(e_topic.where(e_topic.notna(), "").to_numpy(dtype=object))
    views = pd.to_numeric(engages_with["views"]).fillna(0).to_numpy(dtype=np.int64)
    return {
        "e_v": positions(fn, "engages_with", engages_with[_SRC], v_index, "viewers"), "e_t": e_t, "views": views,
        "i_v": positions(fn, "interested_in", interested_in[_SRC], v_index, "viewers"),
        "i_t": positions(fn, "interested_in", interested_in[_DST], t_index, "topics"),
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
    codes = segment_codes(fn, viewers, segments)
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
    pairs = distinct(e_v.astype(np.int64) * n_f + f, len(viewers) * n_f)  # (viewer, field) with views
    engaged = distinct(e_v, len(viewers))
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
    codes = segment_codes(fn, viewers, segments)
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
