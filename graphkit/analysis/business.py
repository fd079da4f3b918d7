"""Question 2, sustainable business models: who earns, from what, and where earners sit.

:func:`earning` splits the earning share of active creators by revenue stream, by creator
kind and by follower band; :func:`earning_by_position` relates earning to a creator's place in
the network (PageRank deciles, core-number bands, communities), with Spearman's rho, a seeded
percentile bootstrap interval for it, and the logistic slope of earning on the standardised log
position.  Both take the frames and Results a store and graphkit's measures return, never a
store.

Creator kinds are not a property of the data model; they are defined here from the
relationships: **institutional** (affiliated with at least one institution), **partnered**
(partners with an institution, not affiliated with any) and **independent** (neither).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
import scipy
from scipy import optimize, special, stats

from graphkit import model
from graphkit.analysis._checks import COUNT, OPEN_UNIT, SEED, check_arguments
from graphkit.analysis._dispatch import make_result
from graphkit.analysis._frames import check_frame, names
from graphkit.analysis.communities import community_frame
from graphkit.errors import AnalysisError, ArgumentError
from graphkit.results import Result

__all__ = ["CREATOR_KINDS", "FOLLOWER_BANDS", "creator_kinds", "earning", "earning_by_position"]

#: The creator kinds of :func:`earning`, in the order rows are listed.
CREATOR_KINDS = ("institutional", "partnered", "independent")
#: Default follower band edges: <1k, 1k-10k, 10k-100k, 100k-1M, >=1M (a band holds its lower edge).
FOLLOWER_BANDS = (1_000, 10_000, 100_000, 1_000_000)
#: The band of a creator without a follower count.
UNKNOWN = "unknown"

_STREAMS = next(p.name for p in model.CREATOR.properties if p.type == "enum_list")  # income_streams
_FOLLOWERS = "followers"
_COLUMNS = ("group", "value", "active", "earning", "share", "share_of_earners")


def _short(value: float) -> str:
    """A follower count as people write it: 1k, 10k, 1M, 2.5M, 750."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def _check_bands(edges: object) -> tuple[float, ...]:
    values = tuple(edges) if isinstance(edges, Sequence) and not isinstance(edges, str) else ()
    numeric = all(isinstance(e, numbers.Real) and not isinstance(e, bool) for e in values)
    bands = tuple(float(e) for e in values) if numeric else ()
    if not bands or not all(math.isfinite(e) and e > 0 for e in bands) or \
            any(b <= a for a, b in zip(bands, bands[1:], strict=False)):
        raise ArgumentError(f"earning: follower_bands must be increasing positive numbers (band edges), got {edges!r}")
    return bands


def _band_labels(edges: tuple[float, ...]) -> list[str]:
    inner = [f"{_short(a)}-{_short(b)}" for a, b in zip(edges, edges[1:], strict=False)]
    return [f"<{_short(edges[0])}", *inner, f">={_short(edges[-1])}"]


def _stream_lists(cells: pd.Series) -> pd.Series:
    """Each creator's streams as a list (a missing cell: none)."""
    return cells.map(lambda v: list(v) if isinstance(v, (list, tuple, np.ndarray)) else [])


def _rows(group: str, values: Sequence[str], active: np.ndarray, earning: np.ndarray, earners: int) -> pd.DataFrame:
    share = np.divide(earning, active, out=np.full(len(active), np.nan), where=active > 0)
    of_earners = earning / earners if earners else np.full(len(active), np.nan)
    return pd.DataFrame({"group": group, "value": list(values), "active": active.astype("int64"),
                         "earning": earning.astype("int64"), "share": share, "share_of_earners": of_earners})


def creator_kinds(ids: pd.Series, affiliated_with: pd.DataFrame, partners_with: pd.DataFrame) -> np.ndarray:
    """Each creator's kind (:data:`CREATOR_KINDS`): institutional, partnered or independent.

    Parameters
    ----------
    ids : Series
        Creator ids.
    affiliated_with, partners_with : DataFrame
        AFFILIATED_WITH (``source_id`` = creator) and PARTNERS_WITH (``target_id`` = creator).

    Returns
    -------
    numpy.ndarray
        One kind per id, in the order of ``ids``.

    Examples
    --------
    >>> aff = pd.DataFrame({"source_id": ["c1"], "target_id": ["i1"]})
    >>> par = pd.DataFrame({"source_id": ["i1", "i1"], "target_id": ["c1", "c2"]})
    >>> creator_kinds(pd.Series(["c1", "c2", "c3"]), aff, par).tolist()
    ['institutional', 'partnered', 'independent']
    """
    ids = pd.Series(np.asarray(ids, dtype=object))
    affiliated = ids.isin(affiliated_with[model.SOURCE_ID]).to_numpy()
    partnered = ids.isin(partners_with[model.TARGET_ID]).to_numpy()
    return np.where(affiliated, CREATOR_KINDS[0], np.where(partnered, CREATOR_KINDS[1], CREATOR_KINDS[2]))


def earning(creators: pd.DataFrame, affiliated_with: pd.DataFrame, partners_with: pd.DataFrame, *,
            follower_bands: Sequence[float] = FOLLOWER_BANDS) -> Result:
    """The earning share of active creators: overall, by stream, by creator kind, by follower band.

    Only active creators (the derived ``active``: at least one video) count.  A creator
    earns when it has at least one income stream (the derived ``has_income``).

    Parameters
    ----------
    creators : DataFrame
        ``store.nodes("Creator")``: ``id``, ``followers``, ``income_streams`` and the derived
        ``active`` and ``has_income``.
    affiliated_with, partners_with : DataFrame
        ``store.relationships("AFFILIATED_WITH")`` (``source_id`` = creator) and
        ``store.relationships("PARTNERS_WITH")`` (``target_id`` = creator), which define the
        creator kinds: **institutional** (affiliated with an institution), **partnered**
        (partners with one, affiliated with none), **independent** (neither).
    follower_bands : sequence of float
        Increasing band edges of the ``followers`` property; a band holds its lower edge.  The
        default gives ``<1k``, ``1k-10k``, ``10k-100k``, ``100k-1M``, ``>=1M``.  A creator
        without a follower count is in the band ``unknown``, a row shown only when there is one.

    Returns
    -------
    Result
        ``frame``: ``group`` (``all``, ``stream``, ``creator_kind``, ``follower_band``, in that
        order), ``value`` (the stream, kind or band; ``all``), ``active`` (active creators in
        the row: the denominator), ``earning`` (those of them earning; for a stream, earning
        from that stream), ``share`` (earning / active, NaN for a row without active
        creators), ``share_of_earners`` (earning / all earning creators: for streams the share
        of earners using the stream, summing above 1 as an earner may have several; for kinds
        and bands the earners' make-up, summing to 1).  Streams in the model's order, kinds
        as :data:`CREATOR_KINDS`, bands from the lowest.  ``summary``: ``active_creators``,
        ``earning_creators``, ``earning_share``.

    Raises
    ------
    ArgumentError
        Frames of another type or without those columns, or bad ``follower_bands``.

    Examples
    --------
    >>> creators = pd.DataFrame({
    ...     "id": ["c1", "c2", "c3", "c4"], "followers": [500, 20_000, None, 300],
    ...     "income_streams": [["advertising"], ["advertising", "ecommerce"], [], ["ecommerce"]],
    ...     "active": [True, True, True, False], "has_income": [True, True, False, True]})
    >>> aff = pd.DataFrame({"source_id": ["c1"], "target_id": ["i1"]})
    >>> par = pd.DataFrame({"source_id": ["i1"], "target_id": ["c2"]})
    >>> r = earning(creators, aff, par)
    >>> r.summary
    {'active_creators': 3, 'earning_creators': 2, 'earning_share': 0.6666666666666666}
    >>> r.frame.query("group == 'stream'")[["value", "earning", "share_of_earners"]].values.tolist()
    [['advertising', 2, 1.0], ['ecommerce', 1, 0.5], ['revenue_sharing', 0, 0.0]]
    >>> r.frame.query("group == 'follower_band' and active > 0")[["value", "active", "earning"]].values.tolist()
    [['<1k', 1, 1], ['10k-100k', 1, 1], ['unknown', 1, 0]]
    """
    for name, frame, columns in (
        ("creators", creators, (model.ID, _FOLLOWERS, _STREAMS, model.ACTIVE, model.HAS_INCOME)),
        ("affiliated_with", affiliated_with, (model.SOURCE_ID,)),
        ("partners_with", partners_with, (model.TARGET_ID,)),
    ):
        check_frame("earning", name, frame, columns)
    edges = _check_bands(follower_bands)
    active = creators[creators[model.ACTIVE].fillna(False).astype(bool).to_numpy()]
    earns = active[model.HAS_INCOME].fillna(False).astype(bool).to_numpy()
    n, earners = len(active), int(earns.sum())
    parts = [_rows("all", ["all"], np.array([n]), np.array([earners]), earners)]

    streams = _stream_lists(active[_STREAMS].reset_index(drop=True)).explode().dropna()
    earning_streams = streams[earns[streams.index.to_numpy(dtype=np.int64)]]
    per_stream = earning_streams.reset_index().drop_duplicates().iloc[:, 1].value_counts()
    counts = np.array([per_stream.get(s, 0) for s in model.INCOME_STREAMS])
    parts.append(_rows("stream", model.INCOME_STREAMS, np.full(len(counts), n), counts, earners))

    kinds = pd.Categorical(creator_kinds(active[model.ID], affiliated_with, partners_with), categories=CREATOR_KINDS)
    codes = np.asarray(kinds.codes)
    k = len(CREATOR_KINDS)
    parts.append(_rows("creator_kind", CREATOR_KINDS, np.bincount(codes, minlength=k),
                       np.bincount(codes[earns], minlength=k), earners))

    followers = pd.to_numeric(active[_FOLLOWERS], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    labels = _band_labels(edges)
    band = np.where(np.isnan(followers), len(labels), np.searchsorted(edges, followers, side="right"))
    shown = len(labels) + 1 if np.isnan(followers).any() else len(labels)
    parts.append(_rows("follower_band", [*labels, UNKNOWN][:shown], np.bincount(band, minlength=shown),
                       np.bincount(band[earns], minlength=shown), earners))

    frame = pd.concat(parts, ignore_index=True)[list(_COLUMNS)]
    summary = {"active_creators": n, "earning_creators": earners, "earning_share": earners / n if n else math.nan}
    params = {"follower_bands": list(edges)}
    return make_result(frame, "earning", params, "pandas", summary=summary)


# --- position ------------------------------------------------------------------------------


def _measure(function: str, name: str, value: Result | pd.DataFrame, column: str | None) -> tuple[pd.Series, str]:
    """The creators' values of a per-node measure (a Result or its frame), by creator id."""
    if not isinstance(value, (Result, pd.DataFrame)):
        raise ArgumentError(f"{function}: {name} must be a Result of a graphkit measure or its frame, "
                            f"got a {type(value).__name__}")
    frame = value.frame if isinstance(value, Result) else value
    if column is None:
        candidates = [c for c in frame.columns if c not in (model.KIND, model.ID, "name")]  # names label, not measure
        if len(candidates) != 1:
            raise ArgumentError(f"{function}: say which column of {name} is the measure (column=); it has "
                                f"{', '.join(map(repr, frame.columns)) or 'none'}")
        column = str(candidates[0])
    check_frame(function, name, frame, (model.ID, column))
    rows = frame[frame[model.KIND] == model.CREATOR.label] if model.KIND in frame.columns else frame
    values = pd.to_numeric(rows[column], errors="coerce")
    return pd.Series(values.to_numpy(dtype=float), index=rows[model.ID].to_numpy()), column


def _resampled_rho(x: np.ndarray, y: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Spearman's rho of ``x`` and 0/1 ``y`` in each resample ``x[idx[b]], y[idx[b]]``, without sorting.

    A resample is its count of each creator.  Creators sorted once by ``x`` (equal values
    grouped), a cumulative sum of the counts gives every group's midrank in every resample:
    ``rankdata``'s average ranks, in O(n) per resample.  As ``y`` has two values, its midranks
    are an affine function of it, so rho is Pearson's r of the x-midranks and ``y`` itself.
    """
    order = np.argsort(x, kind="stable")
    xs = x[order]
    starts = np.flatnonzero(np.concatenate(([True], xs[1:] != xs[:-1])))
    sorted_at = np.empty(len(x), dtype=np.int64)
    sorted_at[order] = np.arange(len(x))
    b, n = idx.shape
    cells = (np.arange(b)[:, None] * n + sorted_at[idx]).ravel()
    counts = np.bincount(cells, minlength=b * n).reshape(b, n)
    earners = counts * y[order].astype(np.int64)
    if len(starts) < n:  # ties: creators of equal x share one group, one midrank
        counts, earners = np.add.reduceat(counts, starts, axis=1), np.add.reduceat(earners, starts, axis=1)
    rank = np.cumsum(counts, axis=1) - (counts - 1) / 2.0
    mean_rank, p = (n + 1) / 2.0, earners.sum(axis=1) / n
    cov = (earners * rank).sum(axis=1) / n - mean_rank * p
    var_rank = (counts * rank * rank).sum(axis=1) / n - mean_rank**2
    with np.errstate(invalid="ignore", divide="ignore"):  # a resample of one class: NaN, left out below
        return cov / np.sqrt(var_rank * p * (1 - p))


def _bootstrap(x: np.ndarray, y: np.ndarray, resamples: int, confidence: float, seed: int) -> tuple[float, float]:
    """Percentile interval of rho over ``resamples`` resamples of creators (seeded, in batches)."""
    rng = np.random.default_rng(seed)
    batch = max(1, min(resamples, 2_000_000 // max(len(x), 1)))  # about 16 MB of counts at a time
    rhos = [_resampled_rho(x, y, rng.integers(0, len(x), size=(min(batch, resamples - start), len(x))))
            for start in range(0, resamples, batch)]
    values = np.concatenate(rhos)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return math.nan, math.nan
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def _logistic(x: np.ndarray, y: np.ndarray, confidence: float) -> tuple[float, float, float, float]:
    """Intercept, slope and the slope's Wald interval of a logistic regression of ``y`` on ``x``."""
    X = np.column_stack([np.ones_like(x), x])

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        eta = X @ beta
        return float(np.sum(np.logaddexp(0.0, eta) - y * eta)), X.T @ (special.expit(eta) - y)

    def hessian(beta: np.ndarray) -> np.ndarray:
        p = special.expit(X @ beta)
        return X.T @ (X * (p * (1 - p))[:, None])

    fit = optimize.minimize(loss, np.zeros(2), jac=True, hess=hessian, method="newton-cg",
                            options={"xtol": 1e-10})
    # Newton-CG may stop on "precision loss" at the optimum itself: judge by the gradient.
    if not np.isfinite(fit.x).all() or np.abs(loss(fit.x)[1]).max() > 1e-7 * len(x):
        raise AnalysisError(f"earning_by_position: the logistic fit did not converge ({fit.message})")
    se = float(np.sqrt(np.linalg.inv(hessian(fit.x))[1, 1]))
    half = float(stats.norm.ppf(0.5 + confidence / 2)) * se
    return float(fit.x[0]), float(fit.x[1]), float(fit.x[1] - half), float(fit.x[1] + half)


def _core_bands(cores: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Band of each core number: 0, 1, 2-3, 4-7, 8-15 ... (powers of two); ``missing`` last."""
    known = ~np.isnan(cores)
    band = np.zeros(len(cores), dtype=np.int64)
    band[known] = np.where(cores[known] < 1, 0, np.floor(np.log2(np.maximum(cores[known], 1))).astype(np.int64) + 1)
    top = int(band[known].max()) if known.any() else -1
    labels = ["0", "1"] + [f"{2 ** (b - 1)}-{2 ** b - 1}" for b in range(2, top + 1)]
    labels = labels[: top + 1]
    band[~known] = len(labels)
    return band, labels + (["missing"] if (~known).any() else [])


def _group_rows(group: str, codes: np.ndarray, labels: Sequence[str], position: np.ndarray, earns: np.ndarray,
                ids: np.ndarray, creator_names: np.ndarray, column: str) -> pd.DataFrame:
    """One row per non-empty code: counts, share, the position's range and the top creator."""
    frame = pd.DataFrame({"code": codes, "position": position, "earns": earns, "id": ids, "name": creator_names})
    top = frame.sort_values(["code", "position", "id"], ascending=[True, False, True], kind="mergesort")
    top = top.drop_duplicates("code").set_index("code")
    stats_ = frame.groupby("code", sort=True).agg(active=("earns", "size"), earning=("earns", "sum"),
                                                 low=("position", "min"), high=("position", "max"))
    return pd.DataFrame({
        "group": group,
        "value": [labels[c] for c in stats_.index],
        f"{column}_min": stats_["low"].to_numpy(),
        f"{column}_max": stats_["high"].to_numpy(),
        "active": stats_["active"].to_numpy(dtype="int64"),
        "earning": stats_["earning"].to_numpy(dtype="int64"),
        "share": (stats_["earning"] / stats_["active"]).to_numpy(),
        "top_creator": top.loc[stats_.index, "id"].to_numpy(),
        "top_creator_name": top.loc[stats_.index, "name"].to_numpy(),
    })


def earning_by_position(creators: pd.DataFrame, position: Result | pd.DataFrame, *,
                        cores: Result | pd.DataFrame | None = None, communities: Result | pd.DataFrame | None = None,
                        column: str | None = None, seed: int = 0, resamples: int = 1000,
                        confidence: float = 0.95) -> Result:
    """How earning creators sit in the network: by position decile, core band and community.

    Active creators only, those with a position value.  The position is meant to be PageRank
    on the audience graph (``graphkit.pagerank(store.analysis_graph("audience"))``); any
    positive per-node measure works.

    Parameters
    ----------
    creators : DataFrame
        ``store.nodes("Creator")``: ``id``, ``name`` and the derived ``active`` and ``has_income``.
    position : Result or DataFrame
        A per-node measure (``kind``, ``id``, the measure; rows of other kinds are ignored),
        positive for every active creator (its log is taken).
    cores : Result or DataFrame, optional
        :func:`~graphkit.analysis.core_number`'s result (``core_number``), for rows per
        core-number band: ``0``, ``1``, ``2-3``, ``4-7``, ... (powers of two), and ``missing``
        for creators it does not cover.
    communities : Result or DataFrame, optional
        :func:`~graphkit.analysis.louvain`'s result (``kind``, ``id``, ``community``), for rows
        per community (creators it does not cover: ``missing``).
    column : str, optional
        The measure's column in ``position``; by default its one column besides ``kind`` and ``id``.
    seed : int
        Seed of the bootstrap's ``numpy.random.default_rng``.
    resamples : int
        Bootstrap resamples of the creators (with replacement), at least 1.
    confidence : float
        Level of both intervals, in (0, 1).

    Returns
    -------
    Result
        ``frame``: ``group`` (``decile``, then ``core_band``, ``community`` when given),
        ``value`` (``D1`` lowest to ``D10`` highest with the decile's position range, e.g.
        ``D10: 0.00031 to 0.054``; the band; the community number), ``<column>_min`` and
        ``<column>_max`` (the position's range in the row: ``pagerank_min``,
        ``pagerank_max``), ``active``, ``earning``, ``share`` (earning / active),
        ``top_creator`` and ``top_creator_name`` (the row's creator with the highest position).
        Deciles are equal-count groups of creators ranked by position, ties by id.
        ``summary``: ``creators`` (active, with a position), ``earning_creators``,
        ``position`` (the column), ``spearman_rho`` (between position and earning, 0/1),
        ``rho_ci_low``, ``rho_ci_high`` (percentile bootstrap), ``resamples``, ``confidence``,
        ``logistic_intercept``, ``logistic_slope_per_sd_log_position`` (the change in log odds
        of earning per standard deviation of log position over these creators),
        ``logistic_slope_ci_low``, ``logistic_slope_ci_high`` (Wald); NaN where undefined
        (every creator earning, or none).  Provenance names the position's analysis graph.

    Raises
    ------
    ArgumentError
        Frames or Results without those columns, a position that is not positive for every
        active creator, or bad ``seed``, ``resamples``, ``confidence``.
    AnalysisError
        The logistic fit does not converge.

    Examples
    --------
    >>> creators = pd.DataFrame({"id": [f"c{i:02d}" for i in range(20)], "name": [f"C {i}" for i in range(20)],
    ...                          "active": True, "has_income": [i >= 8 or i in (2, 5) for i in range(20)]})
    >>> pr = pd.DataFrame({"kind": "Creator", "id": creators["id"], "pagerank": np.arange(1, 21) / 210})
    >>> r = earning_by_position(creators, pr, resamples=200)
    >>> round(r.summary["spearman_rho"], 3), r.summary["rho_ci_low"] > 0, r.summary["logistic_slope_ci_low"] > 0
    (0.681, True, True)
    >>> r.frame[["value", "active", "earning", "top_creator_name"]].iloc[[0, -1]].values.tolist()
    [['D1: 0.00476 to 0.00952', 2, 0, 'C 1'], ['D10: 0.0905 to 0.0952', 2, 2, 'C 19']]
    """
    check_arguments("earning_by_position", None, seed=(seed, SEED), resamples=(resamples, COUNT),
                    confidence=(confidence, OPEN_UNIT))
    check_frame("earning_by_position", "creators", creators, (model.ID, model.ACTIVE, model.HAS_INCOME))
    values, column = _measure("earning_by_position", "position", position, column)
    active = creators[creators[model.ACTIVE].fillna(False).astype(bool).to_numpy()]
    pos = active[model.ID].map(values).to_numpy(dtype=float, na_value=np.nan)
    placed = ~np.isnan(pos)
    active, pos = active[placed], pos[placed]
    if (pos <= 0).any():
        raise ArgumentError(f"earning_by_position: the position must be positive (its log is taken); "
                            f"{int((pos <= 0).sum())} active creators have {column} <= 0")
    ids = active[model.ID].to_numpy(dtype=object)
    earns = active[model.HAS_INCOME].fillna(False).astype(bool).to_numpy()
    creator_names = names(ids, creators) if "name" in creators.columns else np.full(len(ids), "", dtype=object)
    n = len(ids)

    # Deciles: equal-count groups by (position, id), so ties never leave a decile empty.
    order = np.lexsort((ids.astype(str), pos))
    decile = np.empty(n, dtype=np.int64)
    decile[order] = np.arange(n) * 10 // max(n, 1)
    ranges = pd.DataFrame({"d": decile, "p": pos}).groupby("d")["p"].agg(["min", "max"])
    labels = [f"D{d + 1}: {ranges.loc[d, 'min']:.3g} to {ranges.loc[d, 'max']:.3g}" if d in ranges.index else ""
              for d in range(10)]
    parts = [_group_rows("decile", decile, labels, pos, earns, ids, creator_names, column)]
    if cores is not None:
        core, _ = _measure("earning_by_position", "cores", cores, "core_number")
        band, band_labels = _core_bands(pd.Series(ids).map(core).to_numpy(dtype=float, na_value=np.nan))
        parts.append(_group_rows("core_band", band, band_labels, pos, earns, ids, creator_names, column))
    if communities is not None:
        found = community_frame("earning_by_position", communities)
        assert found is not None  # only a mapping (not allowed here) gives None
        creators_only = found[found[model.KIND] == model.CREATOR.label]
        label = pd.Series(ids).map(creators_only.set_index(model.ID)["community"]).to_numpy(dtype=float,
                                                                                          na_value=np.nan)
        known = np.unique(label[~np.isnan(label)]).astype(np.int64)
        code = np.where(np.isnan(label), len(known), np.searchsorted(known, np.nan_to_num(label)))
        parts.append(_group_rows("community", code, [*map(str, known), "missing"], pos, earns, ids,
                                 creator_names, column))
    frame = pd.concat(parts, ignore_index=True)

    summary: dict[str, object] = {"creators": n, "earning_creators": int(earns.sum()), "position": column}
    rho = low = high = intercept = slope = slope_low = slope_high = math.nan
    if 0 < earns.sum() < n and np.ptp(pos) > 0:
        rho = float(stats.spearmanr(pos, earns).statistic)
        low, high = _bootstrap(pos, earns, resamples, confidence, seed)
        x = np.log(pos)
        intercept, slope, slope_low, slope_high = _logistic((x - x.mean()) / x.std(), earns.astype(float),
                                                            confidence)
    summary.update(spearman_rho=rho, rho_ci_low=low, rho_ci_high=high, resamples=resamples, confidence=confidence,
                   logistic_intercept=intercept, logistic_slope_per_sd_log_position=slope,
                   logistic_slope_ci_low=slope_low, logistic_slope_ci_high=slope_high)
    params = {"column": column, "cores": cores is not None, "communities": communities is not None,
              "seed": seed, "resamples": resamples, "confidence": confidence}
    result = make_result(frame, "earning_by_position", params, "scipy", seed=seed, summary=summary)
    graph = position.provenance.graph if isinstance(position, Result) else None
    versions = {**result.provenance.versions, "scipy": scipy.__version__}
    return replace(result, provenance=replace(result.provenance, graph=graph, versions=versions))
