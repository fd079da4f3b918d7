"""Question 1 (and 3): co-creation between institutions and creators.

:func:`co_creation` (which institutions reach which fields through which creators, and how
many viewers) and :func:`partnership_effect` (do partnered creators reach more viewers than
comparable creators that are not partnered: a matched comparison with a bootstrap interval).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis._checks import COUNT, POSITIVE, SEED, check_arguments
from graphkit.analysis._dispatch import make_result
from graphkit.analysis._frames import (
    FIELD,
    UNKNOWN_FIELD,
    check_frame,
    creator_fields,
    fields_and_names,
)
from graphkit.results import Result

__all__ = ["co_creation", "partnership_effect"]

_ID, _SRC, _DST = model.ID, model.SOURCE_ID, model.TARGET_ID


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
    info = creator_fields(fn, creators, topics, subtopic_of).set_index(_ID)
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
    field_names = fields_and_names(topics, subtopic_of)[1]
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
    info = creator_fields(fn, creators, topics, subtopic_of)
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
