"""Question 3, rational allocation: how concentrated attention is, whether segments get fair access, where resources go.

Three measures over the frames a store returns (``store.nodes(label)``,
``store.relationships(type)``), never a store:

* :func:`concentration` and :func:`lorenz`: how unequally follows, views and engagement fall
  on creators (Gini, top 1% and 10% shares, HHI, the Lorenz curve), overall, per field and
  per community.  Creators with no attention count: they are part of the population.
* :func:`fair_access`: for each field and each viewer segment value, reach and engagement per
  viewer against every viewer's rate, as a disparity ratio with a bootstrap interval.
* :func:`resource_allocation`: where institutions' partnerships go by field, against where
  the audience's declared interest is.

A creator belongs to the field of its primary topic (the topic's top-level ancestor).  Viewers
appear only as counts per segment.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis._checks import SEED, Domain, check_arguments, check_known
from graphkit.analysis._dispatch import make_result
from graphkit.analysis._frames import FIELD, UNKNOWN_FIELD, check_frame, names, topic_fields
from graphkit.errors import AnalysisError, ArgumentError
from graphkit.results import Result

__all__ = ["MEASURES", "SEGMENTS", "concentration", "fair_access", "lorenz", "resource_allocation"]

#: What :func:`concentration` measures, per creator: FOLLOWS received, the creator's ``views``
#: (PUBLISHES_ON views summed) and ENGAGES_WITH views received from the viewers in the data.
MEASURES = ("follows", "views", "engagement")
#: The viewer properties :func:`fair_access` can split viewers by (the model's enums).
SEGMENTS = model.SEGMENTS
#: The scopes of :func:`concentration`'s rows, in their order.
SCOPES = ("overall", "field", "community")

_ENGINE = "pandas"  # frame measures: pandas and numpy, no graph engine
_POINTS = Domain(2, 1001, integer=True)
_RESAMPLES = Domain(20, math.inf, high_open=True, integer=True)
_CHUNK = 20_000_000  # bootstrap weights drawn at once (resamples x groups), about 160 MB


def _creator_fields(function: str, creators: pd.DataFrame, topics: pd.DataFrame,
                    subtopic_of: pd.DataFrame) -> pd.Series:
    """Each creator's field (the primary topic's top-level ancestor), NA when it has none."""
    check_frame(function, "topics", topics, (model.ID,))
    check_frame(function, "subtopic_of", subtopic_of, (model.SOURCE_ID, model.TARGET_ID))
    field = creators[model.PRIMARY_TOPIC].astype(object).map(topic_fields(topics, subtopic_of))
    return field.where(field.notna() & (field != UNKNOWN_FIELD)).reset_index(drop=True)


def _attention(function: str, creators: pd.DataFrame, follows: pd.DataFrame,
               engages_with: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each measure per creator, aligned with ``creators``' rows (0 for no attention)."""
    check_frame(function, "creators", creators, (model.ID, model.VIEWS, model.PRIMARY_TOPIC))
    check_frame(function, "follows", follows, (model.TARGET_ID,))
    check_frame(function, "engages_with", engages_with, (model.TARGET_ID, "views"))
    index = pd.Index(creators[model.ID].astype(object))
    n = len(index)
    followed = index.get_indexer(follows[model.TARGET_ID].astype(object))
    engaged = index.get_indexer(engages_with[model.TARGET_ID].astype(object))
    views = pd.to_numeric(engages_with["views"]).fillna(0).to_numpy(dtype=float)
    return {  # relationships to creators outside the frame are left out (get_indexer gives -1)
        "follows": np.bincount(followed[followed >= 0], minlength=n).astype(float),
        "views": pd.to_numeric(creators[model.VIEWS]).fillna(0).to_numpy(dtype=float),
        "engagement": np.bincount(engaged[engaged >= 0], weights=views[engaged >= 0], minlength=n),
    }


def _community_codes(function: str, creators: pd.DataFrame, communities: Result | pd.DataFrame) -> np.ndarray:
    """Each creator's community number, -1 for a creator the partition does not hold."""
    frame = communities.frame if isinstance(communities, Result) else communities
    check_frame(function, "communities", frame, (model.ID, "community"))
    if model.KIND in frame.columns:
        frame = frame[frame[model.KIND] == model.CREATOR.label]
    found = pd.Series(frame["community"].to_numpy(), index=frame[model.ID].astype(object).to_numpy())
    codes = creators[model.ID].astype(object).map(found[~found.index.duplicated()])
    return pd.to_numeric(codes).fillna(-1).to_numpy(dtype=np.int64)


def _groups(function: str, creators: pd.DataFrame, topics: pd.DataFrame, subtopic_of: pd.DataFrame,
            communities: Result | pd.DataFrame | None) -> list[tuple[pd.DataFrame, np.ndarray]]:
    """Per scope: a frame naming each group (``field``, ``field_name``, ``community``) and each creator's group.

    A community is named by the field most of its creators belong to (ties: the smallest id).
    """
    field = _creator_fields(function, creators, topics, subtopic_of)
    fields = np.sort(field.dropna().unique().astype(str))
    scopes = [(pd.DataFrame({"field": [""], "field_name": [""]}), np.zeros(len(creators), dtype=np.int64))]
    codes = pd.Index(fields).get_indexer(field.fillna("").astype(str))
    scopes.append((pd.DataFrame({"field": fields, "field_name": names(fields, topics)}), codes))
    if communities is not None:
        numbers = _community_codes(function, creators, communities)
        held = np.unique(numbers[numbers >= 0])
        pairs = pd.DataFrame({"community": numbers, "field": field}).dropna()
        pairs = pairs[pairs["community"] >= 0]
        top = (pairs.groupby(["community", "field"]).size().rename("n").reset_index()
               .sort_values(["community", "n", "field"], ascending=[True, False, True])
               .drop_duplicates("community").set_index("community")["field"])
        main = pd.Series(held).map(top).fillna("").astype(str).to_numpy()
        named = pd.DataFrame({"field": main, "field_name": names(main, topics), "community": held})
        scopes.append((named, np.where(numbers >= 0, np.searchsorted(held, numbers), -1)))
    return scopes


def _curve(codes: np.ndarray, values: np.ndarray, groups: int, q: np.ndarray) -> tuple[np.ndarray, ...]:
    """Lorenz curve ``L(q)`` per group (groups x q), with each group's size, total and Gini.

    ``L(q)`` is the share of the group's total held by its ``q`` share of creators with the
    least, interpolated linearly between creators (exact at q = k/n).  Codes < 0 are left out.
    """
    keep = codes >= 0
    codes, values = codes[keep], values[keep]
    order = np.lexsort((values, codes))
    g, x = codes[order], values[order]
    sizes = np.bincount(g, minlength=groups)
    totals = np.bincount(g, weights=x, minlength=groups)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    below = np.concatenate([[0.0], np.cumsum(x)])  # below[j]: sum of the j smallest in sorted order
    rank = np.arange(len(x)) - starts[g] + 1
    with np.errstate(invalid="ignore", divide="ignore"):
        # Gini = sum_i (2i - n - 1) x_(i) / (n * total), the mean absolute difference over twice the mean.
        gini = np.bincount(g, weights=(2 * rank - sizes[g] - 1) * x, minlength=groups) / (sizes * totals)
        position = q[None, :] * sizes[:, None]
        whole = np.floor(position).astype(np.int64).clip(0, sizes[:, None])
        part = position - whole
        at = (starts[:, None] + whole).clip(0, max(len(x) - 1, 0))
        nxt = x[at] if len(x) else np.zeros_like(part)
        held = below[starts[:, None] + whole] - below[starts][:, None] + part * nxt
        share = held / totals[:, None]
        hhi = np.bincount(g, weights=x * x, minlength=groups) / totals ** 2
    return share, sizes, totals, gini, hhi


def concentration(creators: pd.DataFrame, follows: pd.DataFrame, engages_with: pd.DataFrame,
                  topics: pd.DataFrame, subtopic_of: pd.DataFrame, *,
                  communities: Result | pd.DataFrame | None = None) -> Result:
    """How concentrated attention is on few creators: overall, per field and per community.

    Three measures per creator (:data:`MEASURES`): ``follows`` (FOLLOWS received),
    ``views`` (the creator's ``views``: its PUBLISHES_ON views summed) and ``engagement``
    (ENGAGES_WITH views received from the viewers in the data).  Every creator of the frame
    counts, those with no attention included.

    Parameters
    ----------
    creators : DataFrame
        Creator nodes with ``id`` and the derived ``views`` and ``primary_topic``.
    follows, engages_with : DataFrame
        FOLLOWS (``target_id``) and ENGAGES_WITH (``target_id``, ``views``) relationships.
    topics, subtopic_of : DataFrame
        Topic nodes (``id``, ``name``) and SUBTOPIC_OF relationships: a creator's field is its
        primary topic's top-level ancestor.  Creators without a primary topic (inactive) count
        overall and in their community, in no field.
    communities : Result or DataFrame, optional
        A partition (:func:`~graphkit.analysis.louvain`'s result, or ``kind``, ``id``,
        ``community``); its creators are measured per community.

    Returns
    -------
    Result
        ``frame``: one row per scope, group and measure: ``scope`` (``overall``, ``field``,
        ``community``), ``field`` and ``field_name`` (the field; for a community, the field most
        of its creators belong to; empty overall), ``community`` (NA outside that scope),
        ``measure``, ``creators``, ``total`` (follows or views), ``gini`` (mean absolute
        difference over twice the mean), ``top1_share`` and ``top10_share`` (share of the
        total held by the top 1% and 10% of creators, read off the Lorenz curve, so a fraction
        of a creator counts pro rata), ``hhi`` (sum of squared shares) and
        ``equivalent_creators`` (1 / hhi: how many equal creators would be as concentrated);
        NaN where the total is 0.  Sorted by scope, field (community), measure.
        ``summary``: ``creators``, ``creators_without_field``, and the overall
        ``gini_<measure>``, ``top1_share_<measure>``, ``top10_share_<measure>``,
        ``hhi_<measure>``, ``equivalent_creators_<measure>``.

    Raises
    ------
    ArgumentError
        Frames of another type or without those columns.

    Examples
    --------
    >>> creators = pd.DataFrame({"id": ["a", "b", "c", "d"], "views": [0, 0, 10, 30],
    ...                          "primary_topic": ["t2", "t2", "t2", "t2"]})
    >>> follows = pd.DataFrame({"target_id": ["d", "d", "d", "c"]})
    >>> engages = pd.DataFrame({"target_id": ["d"], "views": [5]})
    >>> topics = pd.DataFrame({"id": ["t1", "t2"], "name": ["Science", "Physics"]})
    >>> sub = pd.DataFrame({"source_id": ["t2"], "target_id": ["t1"]})
    >>> r = concentration(creators, follows, engages, topics, sub)
    >>> r.summary["gini_follows"], r.summary["hhi_follows"], r.summary["equivalent_creators_follows"]
    (0.625, 0.625, 1.6)
    >>> r.frame[["scope", "field_name", "measure", "top10_share"]].head(3)
         scope field_name     measure  top10_share
    0  overall                follows          0.3
    1  overall                  views          0.3
    2  overall             engagement          0.4
    """
    function = "concentration"
    values = _attention(function, creators, follows, engages_with)
    scopes = _groups(function, creators, topics, subtopic_of, communities)
    q = np.array([0.9, 0.99])
    rows = []
    for scope, (named, codes) in zip(SCOPES, scopes):
        for measure in MEASURES:
            share, sizes, totals, gini, hhi = _curve(codes, values[measure], len(named), q)
            with np.errstate(divide="ignore", invalid="ignore"):
                rows.append(named.assign(scope=scope, measure=measure, creators=sizes, total=totals, gini=gini,
                                         top1_share=1 - share[:, 1], top10_share=1 - share[:, 0], hhi=hhi,
                                         equivalent_creators=1 / hhi))
    frame = _ordered(pd.concat(rows, ignore_index=True))
    frame = frame[["scope", "field", "field_name", "community", "measure", "creators", "total", "gini",
                   "top1_share", "top10_share", "hhi", "equivalent_creators"]]
    overall = frame[frame["scope"] == "overall"].set_index("measure")
    summary: dict[str, float | int] = {"creators": len(creators),
                                       "creators_without_field": int((scopes[1][1] < 0).sum())}
    for key in ("gini", "top1_share", "top10_share", "hhi", "equivalent_creators"):
        summary.update({f"{key}_{m}": float(overall.at[m, key]) for m in MEASURES})
    return make_result(frame, function, {"communities": communities is not None}, _ENGINE, summary=summary)


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in scope, group, measure order; ``community`` as a nullable integer."""
    if "community" not in frame.columns:
        frame["community"] = pd.NA
    frame["community"] = frame["community"].astype("Int64")
    frame["_scope"] = frame["scope"].map({s: i for i, s in enumerate(SCOPES)})
    frame["_measure"] = frame["measure"].map({m: i for i, m in enumerate(MEASURES)})
    by = ["_scope", "community", "field", "_measure"] + (["creator_share"] if "creator_share" in frame else [])
    return frame.sort_values(by, kind="stable", na_position="first").drop(columns=["_scope", "_measure"])


def lorenz(creators: pd.DataFrame, follows: pd.DataFrame, engages_with: pd.DataFrame, topics: pd.DataFrame,
           subtopic_of: pd.DataFrame, *, communities: Result | pd.DataFrame | None = None,
           points: int = 101) -> Result:
    """The Lorenz curves behind :func:`concentration`, ``points`` points each, ready to plot.

    Parameters
    ----------
    creators, follows, engages_with, topics, subtopic_of, communities
        As for :func:`concentration`.
    points : int
        Points per curve, 2 to 1001, evenly spaced in the share of creators (101: every 1%).

    Returns
    -------
    Result
        ``frame``: ``scope``, ``field``, ``field_name``, ``community``, ``measure`` (as in
        :func:`concentration`), ``creator_share`` (0 to 1: the creators with the least
        attention first) and ``attention_share`` (the share of the total they hold; NaN where
        the total is 0), sorted by scope, group, measure and creator share.

    Raises
    ------
    ArgumentError
        As :func:`concentration`, or ``points`` outside 2 to 1001.

    Examples
    --------
    >>> creators = pd.DataFrame({"id": ["a", "b"], "views": [0, 0], "primary_topic": ["t1", "t1"]})
    >>> r = lorenz(creators, pd.DataFrame({"target_id": ["b", "b", "a"]}), pd.DataFrame({"target_id": [], "views": []}),
    ...            pd.DataFrame({"id": ["t1"], "name": ["Health"]}), pd.DataFrame({"source_id": [], "target_id": []}),
    ...            points=3)
    >>> r.frame[r.frame["measure"] == "follows"]["attention_share"].round(4).tolist()[:3]
    [0.0, 0.3333, 1.0]
    """
    function = "lorenz"
    check_arguments(function, None, points=(points, _POINTS))
    values = _attention(function, creators, follows, engages_with)
    q = np.linspace(0.0, 1.0, points)
    rows = []
    for scope, (named, codes) in zip(SCOPES, _groups(function, creators, topics, subtopic_of, communities)):
        for measure in MEASURES:
            share = _curve(codes, values[measure], len(named), q)[0]
            curve = named.loc[named.index.repeat(len(q))].reset_index(drop=True)
            rows.append(curve.assign(scope=scope, measure=measure, creator_share=np.tile(q, len(named)),
                                     attention_share=share.ravel()))
    frame = _ordered(pd.concat(rows, ignore_index=True))
    frame = frame[["scope", "field", "field_name", "community", "measure", "creator_share", "attention_share"]]
    return make_result(frame, function, {"communities": communities is not None, "points": points}, _ENGINE,
                       summary={"curves": len(frame) // points, "points": points})


def _viewer_fields(function: str, viewers: pd.DataFrame, engages_with: pd.DataFrame, creators: pd.DataFrame,
                   topics: pd.DataFrame, subtopic_of: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per viewer (rows) and column (every creator, then each field): ENGAGES_WITH rows and views."""
    check_frame(function, "engages_with", engages_with, (model.SOURCE_ID, model.TARGET_ID, "views"))
    check_frame(function, "creators", creators, (model.ID, model.PRIMARY_TOPIC))
    field = _creator_fields(function, creators, topics, subtopic_of)
    fields = np.sort(field.dropna().unique().astype(str))
    creator_field = pd.Index(fields).get_indexer(field.fillna("").astype(str))
    viewer = pd.Index(viewers[model.ID].astype(object)).get_indexer(engages_with[model.SOURCE_ID].astype(object))
    creator = pd.Index(creators[model.ID].astype(object)).get_indexer(engages_with[model.TARGET_ID].astype(object))
    views = pd.to_numeric(engages_with["views"]).fillna(0).to_numpy(dtype=np.int64)
    known = viewer >= 0  # rows of viewers outside the frame have no segment: left out
    column = np.where(creator >= 0, creator_field[creator.clip(0)] + 1, 0)
    cells = len(viewers) * (len(fields) + 1)
    # Column 0 counts engagement with any creator; 1 + f only with creators of field f.
    flat = np.concatenate([viewer[known] * (len(fields) + 1), (viewer * (len(fields) + 1) + column)[
        known & (column > 0)]])
    weights = np.concatenate([views[known], views[known & (column > 0)]])
    rows = np.bincount(flat, minlength=cells).reshape(len(viewers), -1)
    total = np.bincount(flat, weights=weights, minlength=cells).reshape(len(viewers), -1)
    return fields, rows, np.rint(total).astype(np.int64)


def _bootstrap(cell: np.ndarray, y: np.ndarray, members: list[np.ndarray], resamples: int,
               rng: np.random.Generator) -> np.ndarray:
    """Bootstrap ratios (resamples x segment values) of each value's mean of ``y`` to every viewer's.

    A Poisson bootstrap over viewers (each viewer weighs Poisson(1) in a resample), drawn per
    group of viewers alike in cell and ``y``: m such viewers weigh Poisson(m) together, the same
    distribution as m draws, so the work grows with the groups, not the viewers.
    """
    cells = len(members[0])  # every combination of values, occupied or not
    key, size = np.unique(cell + cells * y, return_counts=True)
    group_cell, group_y = key % cells, (key // cells).astype(float)
    onehot = np.zeros((len(key), 2 * cells))
    onehot[np.arange(len(key)), group_cell] = 1.0
    onehot[np.arange(len(key)), cells + group_cell] = group_y
    sums = np.empty((resamples, 2 * cells))
    step = max(1, _CHUNK // len(key))
    for start in range(0, resamples, step):
        weights = rng.poisson(size, size=(min(step, resamples - start), len(key))).astype(float)
        sums[start:start + len(weights)] = weights @ onehot
    count, total = sums[:, :cells], sums[:, cells:]
    member = np.stack(members, axis=1).astype(float)  # cells x values
    with np.errstate(divide="ignore", invalid="ignore"):
        overall = total.sum(axis=1) / count.sum(axis=1)
        return (total @ member) / (count @ member) / overall[:, None]


def fair_access(viewers: pd.DataFrame, engages_with: pd.DataFrame, creators: pd.DataFrame, topics: pd.DataFrame,
                subtopic_of: pd.DataFrame, *, segments: tuple[str, ...] = ("age_band", "region_type"),
                seed: int = 0, resamples: int = 1000) -> Result:
    """Whether each viewer segment gets fair access to each field: reach and views per viewer against all viewers.

    For each field and each value of each segment property (one property at a time, not
    their cross product): ``reach``, the share of the segment's viewers with at least one
    ENGAGES_WITH relationship to a creator of the field, and ``views_per_viewer``, the
    ENGAGES_WITH views in the field per viewer of the segment.  Each is set against the same
    rate over every viewer (the disparity ratio) with a 95% percentile interval from a seeded
    Poisson bootstrap over viewers (``resamples`` resamples; both measures, every field).  A
    field ``""`` ("all fields") counts engagement with any creator.

    Parameters
    ----------
    viewers : DataFrame
        Viewer nodes: ``id`` and the ``segments`` columns (a missing value reads as ``unknown``).
    engages_with : DataFrame
        ENGAGES_WITH relationships: ``source_id``, ``target_id``, ``views``.
    creators : DataFrame
        Creator nodes with ``id`` and ``primary_topic``.
    topics, subtopic_of : DataFrame
        Topic nodes (``id``, ``name``) and SUBTOPIC_OF relationships, for the fields.
    segments : tuple of str
        Viewer properties to split by, among :data:`SEGMENTS`.
    seed : int
        Seed of the bootstrap.
    resamples : int
        Bootstrap resamples, at least 20.

    Returns
    -------
    Result
        ``frame``: ``measure`` (``reach`` or ``views_per_viewer``), ``field``, ``field_name``,
        ``segment`` (the property), ``value``, ``viewers`` (in the segment: the denominator),
        ``rate`` (the segment's), ``overall_rate`` (every viewer's), ``ratio`` (rate /
        overall rate), ``ratio_low`` and ``ratio_high`` (the 95% interval), ``under_served``
        (the interval lies below 1; never for ``unknown``).  Under-served cells first, then
        by ratio (lowest first).  ``summary``: ``viewers``, ``fields``, ``cells``,
        ``under_served_cells``, ``resamples``, ``seed``, ``confidence``.

    Raises
    ------
    ArgumentError
        An unknown segment property, frames without those columns, or a bad ``seed`` or
        ``resamples``.
    AnalysisError
        No viewers.

    Examples
    --------
    >>> viewers = pd.DataFrame({"id": ["v1", "v2", "v3", "v4"], "age_band": ["60_plus", "60_plus", "25_34", "25_34"]})
    >>> engages = pd.DataFrame({"source_id": ["v1", "v3", "v4"], "target_id": ["c1"] * 3, "views": [1, 3, 4]})
    >>> creators = pd.DataFrame({"id": ["c1"], "primary_topic": ["t1"]})
    >>> topics = pd.DataFrame({"id": ["t1"], "name": ["Health"]})
    >>> no_parents = pd.DataFrame({"source_id": [], "target_id": []})
    >>> r = fair_access(viewers, engages, creators, topics, no_parents, segments=("age_band",), resamples=200)
    >>> cells = r.frame.query("field == 't1' and value == '60_plus'")
    >>> print(cells[["measure", "viewers", "rate", "overall_rate", "ratio"]].to_string(index=False))
             measure  viewers  rate  overall_rate    ratio
    views_per_viewer        2   0.5          2.00 0.250000
               reach        2   0.5          0.75 0.666667
    """
    function = "fair_access"
    if isinstance(segments, str) or not all(isinstance(s, str) for s in segments) or not segments:
        raise ArgumentError(f"{function}: segments must be a non-empty tuple of viewer properties, got {segments!r}")
    check_known(function, "segment", segments, SEGMENTS, where="viewers can be split by")
    check_arguments(function, None, seed=(seed, SEED), resamples=(resamples, _RESAMPLES))
    check_frame(function, "viewers", viewers, (model.ID, *segments))
    if not len(viewers):
        raise AnalysisError(f"{function}: the viewers frame is empty: there is no one to compare")
    fields, rows, views = _viewer_fields(function, viewers, engages_with, creators, topics, subtopic_of)
    values, codes = [], []
    for prop in segments:
        shown = viewers[prop].astype(object).fillna("unknown").astype(str)
        enum = next(p.values for p in model.VIEWER.properties if p.name == prop)
        present = set(shown)
        order = [v for v in enum if v in present] + sorted(present - set(enum))
        values.append(order)
        codes.append(pd.Index(order).get_indexer(shown))
    # A viewer's cell: its values of every property at once (the bootstrap draws per cell).
    cell = np.ravel_multi_index(codes, [len(v) for v in values])
    cell_values = np.unravel_index(np.arange(int(np.prod([len(v) for v in values]))), [len(v) for v in values])
    members = [cell_values[j] == k for j, order in enumerate(values) for k in range(len(order))]
    labels = [(prop, value) for prop, order in zip(segments, values) for value in order]
    counts = np.concatenate([np.bincount(c, minlength=len(v)) for c, v in zip(codes, values)])
    rng = np.random.default_rng(seed)
    frames = []
    field_names = np.concatenate([[""], names(fields, topics)])
    for measure, data in (("reach", (rows > 0).astype(np.int64)), ("views_per_viewer", views)):
        for column, field_id in enumerate(np.concatenate([[""], fields])):
            y = data[:, column]
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = np.concatenate([np.bincount(c, weights=y, minlength=len(v))
                                       for c, v in zip(codes, values)]) / counts
                overall = y.sum() / len(y)
                ratio = rate / overall
            boot = _bootstrap(cell, y, members, resamples, rng)
            finite = np.isfinite(boot)
            boot[~finite] = math.nan
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # a column no resample can rate is all NaN
                low, high = np.nanpercentile(boot, [2.5, 97.5], axis=0) if finite.any() else (ratio * math.nan,) * 2
            frames.append(pd.DataFrame({
                "measure": measure, "field": field_id, "field_name": field_names[column],
                "segment": [s for s, _ in labels], "value": [v for _, v in labels], "viewers": counts,
                "rate": rate, "overall_rate": overall, "ratio": ratio, "ratio_low": low, "ratio_high": high}))
    frame = pd.concat(frames, ignore_index=True)
    frame["under_served"] = (frame["ratio_high"] < 1) & (frame["value"] != "unknown")
    frame = frame.sort_values(["under_served", "ratio", "measure", "segment", "value", "field"],
                              ascending=[False, True, True, True, True, True], na_position="last",
                              kind="stable", ignore_index=True)
    summary = {"viewers": len(viewers), "fields": len(fields), "cells": len(frame),
               "under_served_cells": int(frame["under_served"].sum()), "resamples": resamples, "seed": seed,
               "confidence": 0.95}
    params = {"segments": list(segments), "seed": seed, "resamples": resamples,
              "interval": "95% percentile, Poisson bootstrap over viewers"}
    return make_result(frame, function, params, _ENGINE, seed=seed, summary=summary)


def resource_allocation(partners_with: pd.DataFrame, creators: pd.DataFrame, institutions: pd.DataFrame,
                        interested_in: pd.DataFrame, topics: pd.DataFrame, subtopic_of: pd.DataFrame,
                        affiliated_with: pd.DataFrame | None = None) -> Result:
    """Where institutions' partnerships go by field, against where the audience's declared interest is.

    A partnership (PARTNERS_WITH) goes to the field of the partnered creator's primary topic;
    an interest declaration (INTERESTED_IN) counts for the field of its topic (a subtopic's
    declaration for its field).  The interest share is the share of declarations, so it sums
    to 1 over fields like the partnership share; ``interested_viewers`` says how many distinct
    viewers declared an interest in the field.

    Parameters
    ----------
    partners_with : DataFrame
        PARTNERS_WITH relationships: ``source_id`` (institution), ``target_id`` (creator), and
        ``campaign`` where known.
    creators : DataFrame
        Creator nodes with ``id`` and ``primary_topic``.
    institutions : DataFrame
        Institution nodes with ``id``.
    interested_in : DataFrame
        INTERESTED_IN relationships: ``source_id`` (viewer), ``target_id`` (topic).
    topics, subtopic_of : DataFrame
        Topic nodes (``id``, ``name``) and SUBTOPIC_OF relationships, for the fields.
    affiliated_with : DataFrame, optional
        AFFILIATED_WITH relationships (creator -> institution): adds the affiliated creators
        per field, another resource institutions put into a field.

    Returns
    -------
    Result
        ``frame``: one row per field: ``field``, ``field_name``, ``partnerships``,
        ``partnered_creators``, ``institutions`` (distinct partners), ``partnership_share``,
        ``interest_declarations``, ``interested_viewers``, ``interest_share``, ``ratio``
        (partnership share / interest share: below 1, fewer resources than interest),
        ``partnerships_<campaign>`` for each campaign of the model, and with
        ``affiliated_with``: ``affiliations``, ``affiliation_share``, ``affiliation_ratio``.
        Most under-resourced first (lowest ratio; no interest last).  ``summary``:
        ``partnerships``, ``partnerships_without_field``, ``institutions``,
        ``institutions_partnering``, ``interest_declarations`` and the support plan's
        partnerships (``partnerships_science_support_plan``).

    Raises
    ------
    ArgumentError
        Frames of another type or without those columns.

    Examples
    --------
    >>> partners = pd.DataFrame({"source_id": ["i1", "i1", "i2"], "target_id": ["c1", "c2", "c2"],
    ...                          "campaign": ["science_support_plan", "none", "public_welfare"]})
    >>> creators = pd.DataFrame({"id": ["c1", "c2"], "primary_topic": ["t1", "t2"]})
    >>> interest = pd.DataFrame({"source_id": ["v1", "v2", "v2", "v3"], "target_id": ["t1", "t1", "t2", "t2"]})
    >>> topics = pd.DataFrame({"id": ["t1", "t2"], "name": ["Health", "Agriculture"]})
    >>> no_parents = pd.DataFrame({"source_id": [], "target_id": []})
    >>> r = resource_allocation(partners, creators, pd.DataFrame({"id": ["i1", "i2"]}), interest, topics, no_parents)
    >>> r.frame[["field_name", "partnerships", "partnership_share", "interest_share", "ratio"]]
        field_name  partnerships  partnership_share  interest_share     ratio
    0       Health             1           0.333333             0.5  0.666667
    1  Agriculture             2           0.666667             0.5  1.333333
    """
    function = "resource_allocation"
    check_frame(function, "partners_with", partners_with, (model.SOURCE_ID, model.TARGET_ID))
    check_frame(function, "creators", creators, (model.ID, model.PRIMARY_TOPIC))
    check_frame(function, "institutions", institutions, (model.ID,))
    check_frame(function, "interested_in", interested_in, (model.SOURCE_ID, model.TARGET_ID))
    field_of_topic = topic_fields(topics, subtopic_of)
    fields = np.sort(field_of_topic[field_of_topic != UNKNOWN_FIELD].unique().astype(str))
    creator_field = pd.Series(_creator_fields(function, creators, topics, subtopic_of).to_numpy(),
                              index=creators[model.ID].astype(object).to_numpy())
    partner = partners_with.assign(**{FIELD: partners_with[model.TARGET_ID].astype(object).map(creator_field)})
    placed = partner.dropna(subset=[FIELD])
    interest = interested_in.assign(**{FIELD: interested_in[model.TARGET_ID].astype(object).map(field_of_topic)})
    interest = interest[interest[FIELD].notna() & (interest[FIELD] != UNKNOWN_FIELD)]
    by_field = placed.groupby(FIELD)
    frame = pd.DataFrame({"field": fields, "field_name": names(fields, topics)})
    index = frame["field"]
    frame["partnerships"] = index.map(by_field.size()).fillna(0).astype("int64")
    frame["partnered_creators"] = index.map(by_field[model.TARGET_ID].nunique()).fillna(0).astype("int64")
    frame["institutions"] = index.map(by_field[model.SOURCE_ID].nunique()).fillna(0).astype("int64")
    frame["interest_declarations"] = index.map(interest.groupby(FIELD).size()).fillna(0).astype("int64")
    frame["interested_viewers"] = index.map(interest.groupby(FIELD)[model.SOURCE_ID].nunique()).fillna(0) \
        .astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["partnership_share"] = frame["partnerships"] / max(int(frame["partnerships"].sum()), 1)
        frame["interest_share"] = frame["interest_declarations"] / max(int(frame["interest_declarations"].sum()), 1)
        frame["ratio"] = (frame["partnership_share"] / frame["interest_share"]).where(frame["interest_share"] > 0)
    campaign = placed["campaign"] if "campaign" in placed.columns else pd.Series(pd.NA, index=placed.index)
    per_campaign = placed.assign(campaign=campaign).groupby([FIELD, "campaign"]).size()
    for name in model.CAMPAIGNS:
        held = per_campaign.xs(name, level="campaign") if name in per_campaign.index.get_level_values(1) \
            else pd.Series(dtype="int64")
        frame[f"partnerships_{name}"] = index.map(held).fillna(0).astype("int64")
    columns = ["field", "field_name", "partnerships", "partnered_creators", "institutions", "partnership_share",
               "interest_declarations", "interested_viewers", "interest_share", "ratio",
               *(f"partnerships_{name}" for name in model.CAMPAIGNS)]
    if affiliated_with is not None:
        check_frame(function, "affiliated_with", affiliated_with, (model.SOURCE_ID, model.TARGET_ID))
        affiliated = affiliated_with[model.SOURCE_ID].astype(object).map(creator_field).dropna()
        frame["affiliations"] = index.map(affiliated.value_counts()).fillna(0).astype("int64")
        frame["affiliation_share"] = frame["affiliations"] / max(int(frame["affiliations"].sum()), 1)
        frame["affiliation_ratio"] = (frame["affiliation_share"] / frame["interest_share"]) \
            .where(frame["interest_share"] > 0)
        columns += ["affiliations", "affiliation_share", "affiliation_ratio"]
    frame = frame[columns].sort_values(["ratio", "field"], na_position="last", kind="stable", ignore_index=True)
    summary = {"partnerships": len(partners_with), "partnerships_without_field": len(partner) - len(placed),
               "institutions": len(institutions),
               "institutions_partnering": int(partners_with[model.SOURCE_ID].nunique()),
               "interest_declarations": int(frame["interest_declarations"].sum()),
               "partnerships_science_support_plan": int(frame["partnerships_science_support_plan"].sum())}
    return make_result(frame, function, {"affiliated_with": affiliated_with is not None}, _ENGINE, summary=summary)
