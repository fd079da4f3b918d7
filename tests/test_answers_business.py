"""Question 2, sustainable business models: earning shares by group, and earning against position.

Hand-worked frames pin the shares, bands and kinds; scipy pins rho and its bootstrap; a
closed form pins the logistic slope; generated data with a planted earning link
(docs/generator.md) is measured back through graphkit's own PageRank.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import graphkit
from graphkit import model
from graphkit.analysis.business import CREATOR_KINDS, _resampled_rho, earning, earning_by_position
from graphkit.errors import ArgumentError
from graphkit.privacy import Pseudonymiser
from graphkit.results import Result
from loaders.generator import generate

AFF = pd.DataFrame({"source_id": ["c1", "c2"], "target_id": ["i1", "i1"]})
PAR = pd.DataFrame({"source_id": ["i1", "i2"], "target_id": ["c2", "c3"]})


def creators_frame() -> pd.DataFrame:
    """Six creators: c1, c2 institutional (c2 also partnered), c3 partnered, c4-c6 independent; c6 inactive."""
    return pd.DataFrame({
        "id": ["c1", "c2", "c3", "c4", "c5", "c6"],
        "name": ["One", "Two", "Three", "Four", "Five", "Six"],
        "followers": pd.array([999, 1_000, 10_000, 1_000_000, None, 50], dtype="Int64"),
        "income_streams": [["advertising", "revenue_sharing"], ["advertising"], [], ["ecommerce"], [],
                           ["advertising"]],
        "active": [True, True, True, True, True, False],
        "has_income": [True, True, False, True, False, True],
    })


def rows(result: Result, group: str) -> dict[str, tuple]:
    part = result.frame[result.frame["group"] == group]
    return {r.value: (r.active, r.earning, r.share) for r in part.itertuples()}


# --- earning: overall, by stream, kind and band -------------------------------------------


def test_earning_counts_active_creators_only_worked_by_hand() -> None:
    r = earning(creators_frame(), AFF, PAR)
    assert r.summary == {"active_creators": 5, "earning_creators": 3, "earning_share": 0.6}
    assert rows(r, "all") == {"all": (5, 3, 0.6)}  # c6 earns but is inactive


def test_earning_by_stream_gives_shares_of_active_creators_and_of_earners() -> None:
    r = earning(creators_frame(), AFF, PAR)
    part = r.frame[r.frame["group"] == "stream"].set_index("value")
    assert list(part.index) == list(model.INCOME_STREAMS)
    assert part["earning"].to_dict() == {"advertising": 2, "ecommerce": 1, "revenue_sharing": 1}
    assert (part["active"] == 5).all()
    assert part["share"].to_dict() == pytest.approx({"advertising": 0.4, "ecommerce": 0.2, "revenue_sharing": 0.2})
    assert part["share_of_earners"].to_dict() == pytest.approx(
        {"advertising": 2 / 3, "ecommerce": 1 / 3, "revenue_sharing": 1 / 3})


def test_creator_kind_puts_affiliation_before_partnership() -> None:
    r = earning(creators_frame(), AFF, PAR)
    assert list(rows(r, "creator_kind")) == list(CREATOR_KINDS)
    assert rows(r, "creator_kind") == {"institutional": (2, 2, 1.0), "partnered": (1, 0, 0.0),
                                       "independent": (2, 1, 0.5)}
    kinds = r.frame[r.frame["group"] == "creator_kind"]
    assert kinds["share_of_earners"].sum() == pytest.approx(1.0)


def test_follower_bands_hold_their_lower_edge_and_missing_counts_are_unknown() -> None:
    r = earning(creators_frame(), AFF, PAR)
    bands = rows(r, "follower_band")
    assert list(bands) == ["<1k", "1k-10k", "10k-100k", "100k-1M", ">=1M", "unknown"]
    assert {k: v[:2] for k, v in bands.items()} == {
        "<1k": (1, 1), "1k-10k": (1, 1), "10k-100k": (1, 0), "100k-1M": (0, 0), ">=1M": (1, 1), "unknown": (1, 0)}
    assert math.isnan(bands["100k-1M"][2])  # no active creator: no share


def test_the_unknown_band_appears_only_when_a_follower_count_is_missing() -> None:
    creators = creators_frame()
    creators.loc[4, "followers"] = 5
    assert "unknown" not in rows(earning(creators, AFF, PAR), "follower_band")


def test_follower_bands_can_be_chosen() -> None:
    r = earning(creators_frame(), AFF, PAR, follower_bands=[1_000, 2_500_000])
    assert {k: v[:2] for k, v in rows(r, "follower_band").items()} == {
        "<1k": (1, 1), "1k-2.5M": (3, 2), ">=2.5M": (0, 0), "unknown": (1, 0)}


def test_earning_without_active_creators_has_nan_shares_not_an_error() -> None:
    creators = creators_frame().assign(active=False)
    r = earning(creators, AFF, PAR)
    assert r.summary["active_creators"] == 0 and math.isnan(r.summary["earning_share"])


@pytest.mark.parametrize("bands", [[], [10, 10], [100, 10], [0, 10], "1k", [float("nan")], [True, 5]])
def test_bad_follower_bands_are_refused(bands: object) -> None:
    with pytest.raises(ArgumentError, match="follower_bands must be increasing positive numbers"):
        earning(creators_frame(), AFF, PAR, follower_bands=bands)  # type: ignore[arg-type]


def test_frames_without_the_columns_are_refused_naming_them() -> None:
    with pytest.raises(ArgumentError, match="earning: creators needs the columns .* missing 'has_income'"):
        earning(creators_frame().drop(columns="has_income"), AFF, PAR)
    with pytest.raises(ArgumentError, match="partners_with must be a DataFrame"):
        earning(creators_frame(), AFF, None)  # type: ignore[arg-type]


# --- earning by position ------------------------------------------------------------------


def position_frames(n: int = 40, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    pr = rng.lognormal(-8, 1, n)
    earns = rng.random(n) < 1 / (1 + np.exp(-np.log(pr) - 8))
    ids = [f"c{i:03d}" for i in range(n)]
    creators = pd.DataFrame({"id": ids, "name": [f"Creator {i}" for i in range(n)], "active": True,
                             "has_income": earns})
    position = pd.DataFrame({"kind": "Creator", "id": ids, "pagerank": pr})
    return creators, position


def test_rho_is_scipys_spearman_between_position_and_earning() -> None:
    creators, position = position_frames()
    r = earning_by_position(creators, position, resamples=50)
    expected = stats.spearmanr(position["pagerank"], creators["has_income"]).statistic
    assert r.summary["spearman_rho"] == pytest.approx(expected)


def test_the_bootstrap_interval_agrees_with_scipys_percentile_bootstrap() -> None:
    creators, position = position_frames(200)
    r = earning_by_position(creators, position, resamples=2000, seed=1)

    def rho(x: np.ndarray, y: np.ndarray) -> float:
        return float(stats.spearmanr(x, y).statistic)

    ref = stats.bootstrap((position["pagerank"].to_numpy(), creators["has_income"].to_numpy(dtype=float)), rho,
                          paired=True, vectorized=False, n_resamples=2000, method="percentile",
                          rng=np.random.default_rng(99)).confidence_interval
    assert r.summary["rho_ci_low"] == pytest.approx(ref.low, abs=0.03)
    assert r.summary["rho_ci_high"] == pytest.approx(ref.high, abs=0.03)
    assert r.summary["rho_ci_low"] < r.summary["spearman_rho"] < r.summary["rho_ci_high"]


def test_the_bootstrap_is_seeded() -> None:
    creators, position = position_frames()
    a, b, c = (earning_by_position(creators, position, resamples=100, seed=s).summary for s in (5, 5, 6))
    assert (a["rho_ci_low"], a["rho_ci_high"]) == (b["rho_ci_low"], b["rho_ci_high"])
    assert (a["rho_ci_low"], a["rho_ci_high"]) != (c["rho_ci_low"], c["rho_ci_high"])


def test_the_logistic_slope_of_a_two_valued_position_is_the_log_odds_ratio_per_sd() -> None:
    # Position 1 or e (log 0 or 1, half each: SD 1/2): 3 of 10 earn below, 8 of 10 above.
    ids = [f"c{i:02d}" for i in range(20)]
    earns = [i < 3 for i in range(10)] + [i < 8 for i in range(10)]
    creators = pd.DataFrame({"id": ids, "active": True, "has_income": earns})
    position = pd.DataFrame({"id": ids, "pagerank": [1.0] * 10 + [math.e] * 10})
    s = earning_by_position(creators, position, resamples=10).summary
    log_odds_ratio = math.log((8 / 2) / (3 / 7))
    assert s["logistic_slope_per_sd_log_position"] == pytest.approx(log_odds_ratio * 0.5, rel=1e-5)
    # the intercept is the log odds at the mean log position (earning 11 of 20 there, by symmetry)
    assert s["logistic_intercept"] == pytest.approx((math.log(3 / 7) + math.log(8 / 2)) / 2, rel=1e-5)
    se = math.sqrt(1 / 3 + 1 / 7 + 1 / 8 + 1 / 2) * 0.5  # Woolf's standard error, per SD
    assert s["logistic_slope_ci_high"] - s["logistic_slope_ci_low"] == pytest.approx(2 * 1.959964 * se, rel=1e-4)


def test_deciles_are_equal_count_and_labelled_with_their_position_range() -> None:
    creators, position = position_frames(40)
    r = earning_by_position(creators, position, resamples=10)
    deciles = r.frame[r.frame["group"] == "decile"]
    assert deciles["active"].tolist() == [4] * 10
    assert deciles["value"].str.startswith(tuple(f"D{d}:" for d in range(1, 11))).all()
    ranked = position.sort_values("pagerank")["pagerank"].to_numpy()
    assert deciles["pagerank_min"].tolist() == ranked[::4].tolist()
    assert deciles["pagerank_max"].tolist() == ranked[3::4].tolist()
    assert deciles["value"].iloc[0] == f"D1: {ranked[0]:.3g} to {ranked[3]:.3g}"
    assert deciles["earning"].sum() == creators["has_income"].sum()
    top = position.loc[position["pagerank"].idxmax(), "id"]
    assert deciles["top_creator"].iloc[-1] == top
    assert deciles["top_creator_name"].iloc[-1] == creators.set_index("id").loc[top, "name"]


def test_core_bands_are_powers_of_two_and_communities_name_their_top_creator() -> None:
    ids = [f"c{i}" for i in range(8)]
    creators = pd.DataFrame({"id": ids, "name": list("ABCDEFGH"), "active": [True] * 7 + [False],
                             "has_income": [False, True, True, False, True, True, True, True]})
    position = pd.DataFrame({"kind": "Creator", "id": ids, "pagerank": np.arange(1.0, 9.0)})
    cores = pd.DataFrame({"kind": "Creator", "id": ids[:6], "core_number": [0, 1, 2, 3, 5, 9]})
    communities = pd.DataFrame({"kind": ["Creator"] * 6 + ["Viewer"], "id": ids[:6] + ["v1"],
                                "community": [1, 0, 1, 0, 1, 2, 0]})
    r = earning_by_position(creators, position, cores=cores, communities=communities, resamples=10)
    assert rows(r, "core_band") == {"0": (1, 0, 0.0), "1": (1, 1, 1.0), "2-3": (2, 1, 0.5), "4-7": (1, 1, 1.0),
                                    "8-15": (1, 1, 1.0), "missing": (1, 1, 1.0)}
    assert rows(r, "community") == {"0": (2, 1, 0.5), "1": (3, 2, 2 / 3), "2": (1, 1, 1.0), "missing": (1, 1, 1.0)}
    part = r.frame[r.frame["group"] == "community"].set_index("value")
    assert part["top_creator_name"].to_dict() == {"0": "D", "1": "E", "2": "F", "missing": "G"}
    assert list(r.frame["group"].unique()) == ["decile", "core_band", "community"]


def test_without_variation_in_earning_rho_and_slope_are_nan() -> None:
    creators, position = position_frames()
    s = earning_by_position(creators.assign(has_income=True), position, resamples=10).summary
    assert all(math.isnan(s[k]) for k in ("spearman_rho", "rho_ci_low", "logistic_slope_per_sd_log_position"))


def test_a_position_that_is_not_positive_is_refused() -> None:
    creators, position = position_frames()
    position.loc[0, "pagerank"] = 0.0
    with pytest.raises(ArgumentError, match="must be positive .* 1 active creators have pagerank <= 0"):
        earning_by_position(creators, position)


@pytest.mark.parametrize(("option", "value", "match"), [
    ("resamples", 0, "resamples must be an integer >= 1"),
    ("confidence", 1.0, r"confidence must be a number in \(0, 1\)"),
    ("seed", -1, "seed must be"),
    ("column", None, "say which column of position is the measure"),
])
def test_bad_options_are_refused(option: str, value: object, match: str) -> None:
    creators, position = position_frames()
    if option == "column":
        position = position.assign(other=1.0)
    with pytest.raises(ArgumentError, match=match):
        earning_by_position(creators, position, **{option: value})  # type: ignore[arg-type]


# --- the planted link, measured back through graphkit (docs/generator.md) -----------------

PLANTED = 1.0
KEY = b"0123456789abcdef"


@cache
def measured(seed: int, link: float, root: str) -> Result:
    out = Path(root) / f"s{seed}-l{link}"
    generate(3000, seed=seed, out=out, earning_link=link)
    store = graphkit.EmbeddedStore()
    store.load(graphkit.read_folder(store, out, pseudonymiser=Pseudonymiser(KEY)))
    audience = store.analysis_graph("audience")
    return earning_by_position(store.nodes(model.CREATOR.label), graphkit.pagerank(audience),
                               cores=graphkit.core_number(audience), communities=graphkit.louvain(audience))


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("planted"))


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_planted_earning_link_is_recovered_from_graphkits_pagerank(seed: int, root: str) -> None:
    r = measured(seed, PLANTED, root)
    assert r.summary["logistic_slope_per_sd_log_position"] == pytest.approx(PLANTED, rel=0.25)
    assert r.summary["rho_ci_low"] > 0
    deciles = r.frame[r.frame["group"] == "decile"]
    assert deciles["share"].iloc[-1] > deciles["share"].iloc[0] + 0.3
    assert r.provenance.graph is not None and r.provenance.graph["name"] == "audience"


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_without_the_link_the_interval_for_rho_contains_zero(seed: int, root: str) -> None:
    s = measured(seed, 0.0, root).summary
    assert s["rho_ci_low"] < 0 < s["rho_ci_high"]
    assert s["earning_creators"] / s["creators"] == pytest.approx(0.70, abs=0.02)


def test_each_resamples_rho_is_scipys_spearman_of_that_resample_ties_included() -> None:
    rng = np.random.default_rng(0)
    x = np.round(rng.lognormal(0, 1, 60), 1)  # rounded: many ties
    y = rng.random(60) < 0.6
    idx = rng.integers(0, 60, size=(25, 60))
    expected = [stats.spearmanr(x[i], y[i]).statistic for i in idx]
    assert _resampled_rho(x, y, idx) == pytest.approx(expected, rel=1e-9)
