"""Question 3 (graphkit.analysis.allocation): concentration and the Lorenz curve, fair access and
resource allocation, on hand-built frames worked out by hand and on generated data, where the
generator's planted effects (docs/generator.md) must come back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graphkit import EmbeddedStore, Pseudonymiser, model
from graphkit.analysis.allocation import concentration, fair_access, lorenz, resource_allocation
from graphkit.errors import AnalysisError, ArgumentError
from loaders.generator import generate_frames

NO_PARENTS = pd.DataFrame({"source_id": [], "target_id": []})

# Taxonomy: t1 Science with subtopic t2 Physics; t3 Health, a field of its own.
TOPICS = pd.DataFrame({"id": ["t1", "t2", "t3"], "name": ["Science", "Physics", "Health"], "level": [0, 1, 0]})
SUBTOPIC_OF = pd.DataFrame({"source_id": ["t2"], "target_id": ["t1"]})
# Creators a, b in Science (through Physics), c, d in Health, e inactive (no primary topic).
CREATORS = pd.DataFrame({
    "id": ["a", "b", "c", "d", "e"],
    "name": ["A", "B", "C", "D", "E"],
    "views": [20, 0, 10, 30, 0],
    "primary_topic": ["t2", "t2", "t3", "t3", None],
})
# Follows: a 2, b 0, c 1, d 3, e 0 (and one follow of a creator not in the frame, ignored).
FOLLOWS = pd.DataFrame({"source_id": ["v1", "v2", "v1", "v1", "v2", "v3", "v4"],
                        "target_id": ["a", "a", "c", "d", "d", "d", "zz"]})
ENGAGES = pd.DataFrame({"source_id": ["v1"], "target_id": ["d"], "views": [5]})


def _gini_by_mean_difference(x: np.ndarray) -> float:
    """The definition: mean absolute difference over all ordered pairs, over twice the mean."""
    x = np.asarray(x, dtype=float)
    return float(np.abs(x[:, None] - x[None, :]).mean() / (2 * x.mean()))


def _rows(result, scope, measure="follows"):
    frame = result.frame
    return frame[(frame["scope"] == scope) & (frame["measure"] == measure)].reset_index(drop=True)


# --- concentration -----------------------------------------------------------------------------

def test_concentration_overall_matches_hand_worked_gini_hhi_and_top_shares():
    r = concentration(CREATORS, FOLLOWS, ENGAGES, TOPICS, SUBTOPIC_OF)
    row = _rows(r, "overall").iloc[0]
    # Follows 0, 0, 1, 2, 3 (total 6, mean 1.2).  Unordered differences: 0-0 0, 0-1 1 (x2),
    # 0-2 2 (x2), 0-3 3 (x2), 1-2 1, 1-3 2, 2-3 1: sum 16, over ordered pairs 32.
    # Gini = 32 / (2 * 5^2 * 1.2) = 32 / 60.
    assert row["creators"] == 5 and row["total"] == 6
    assert row["gini"] == pytest.approx(32 / 60)
    # Shares 0, 0, 1/6, 2/6, 3/6: HHI = (1 + 4 + 9) / 36, equivalent creators 36 / 14.
    assert row["hhi"] == pytest.approx(14 / 36)
    assert row["equivalent_creators"] == pytest.approx(36 / 14)
    # Top 10% of 5 creators = half of the top creator (d, 3 of 6): 0.25; top 1%: 0.05 of d.
    assert row["top10_share"] == pytest.approx(0.25)
    assert row["top1_share"] == pytest.approx(0.025)
    assert r.summary["gini_follows"] == pytest.approx(32 / 60)
    assert r.summary["creators_without_field"] == 1


def test_concentration_per_field_counts_zero_attention_creators_and_leaves_out_creators_without_a_field():
    r = concentration(CREATORS, FOLLOWS, ENGAGES, TOPICS, SUBTOPIC_OF)
    fields = _rows(r, "field").set_index("field")
    assert fields["field_name"].to_dict() == {"t1": "Science", "t3": "Health"}
    # Science: a 2, b 0 (b counts though it has nothing): Gini = (2 + 2) / (2 * 4 * 1) = 0.5, HHI 1.
    assert fields.at["t1", "creators"] == 2
    assert fields.at["t1", "gini"] == pytest.approx(0.5)
    assert fields.at["t1", "hhi"] == pytest.approx(1.0)
    # Health: c 1, d 3: Gini = (2 + 2) / (2 * 4 * 2) = 0.25, HHI = 1/16 + 9/16.
    assert fields.at["t3", "gini"] == pytest.approx(0.25)
    assert fields.at["t3", "hhi"] == pytest.approx(10 / 16)
    # Views: Science a 20, b 0; Health c 10, d 30 (the creators' derived views).
    views = _rows(r, "field", "views").set_index("field")
    assert views["total"].to_dict() == {"t1": 20, "t3": 40}
    assert views.at["t3", "gini"] == pytest.approx(0.25)


def test_concentration_engagement_is_engages_with_views_received_and_nan_where_a_group_has_none():
    r = concentration(CREATORS, FOLLOWS, ENGAGES, TOPICS, SUBTOPIC_OF)
    overall = _rows(r, "overall", "engagement").iloc[0]
    # Only d received engagement (5 views): 0, 0, 0, 0, 5: Gini = (4 * 5 * 2) / (2 * 25 * 1) = 0.8.
    assert overall["total"] == 5
    assert overall["gini"] == pytest.approx(0.8)
    assert overall["hhi"] == pytest.approx(1.0)
    science = _rows(r, "field", "engagement").set_index("field").loc["t1"]
    assert science["total"] == 0
    assert np.isnan(science["gini"]) and np.isnan(science["hhi"]) and np.isnan(science["top1_share"])


def test_concentration_per_community_names_each_by_its_main_field():
    # Community 0: a alone; community 1: b, c, d (fields Science, Health, Health); e not in it.
    communities = pd.DataFrame({"kind": ["Creator"] * 4 + ["Viewer"], "id": ["a", "b", "c", "d", "v1"],
                                "community": [0, 1, 1, 1, 0]})
    r = concentration(CREATORS, FOLLOWS, ENGAGES, TOPICS, SUBTOPIC_OF, communities=communities)
    rows = _rows(r, "community").set_index("community")
    assert rows["field_name"].to_dict() == {0: "Science", 1: "Health"}
    assert rows["creators"].to_dict() == {0: 1, 1: 3}
    # Community 1: 0, 1, 3: unordered differences 1 + 3 + 2 = 6, Gini = 12 / (2 * 9 * 4/3) = 0.5.
    assert rows.at[1, "gini"] == pytest.approx(0.5)
    assert rows.at[1, "hhi"] == pytest.approx(10 / 16)
    # A community of one creator is as concentrated as can be: HHI 1, Gini 0.
    assert rows.at[0, "hhi"] == pytest.approx(1.0) and rows.at[0, "gini"] == pytest.approx(0.0)
    assert list(r.frame["scope"].drop_duplicates()) == ["overall", "field", "community"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_concentration_agrees_with_the_definitions_on_random_heavy_tailed_attention(seed):
    rng = np.random.default_rng(seed)
    n = 1000
    follows_per = rng.zipf(2.0, n) * rng.integers(0, 2, n)  # heavy tail, about half with none
    creators = pd.DataFrame({"id": [f"c{i}" for i in range(n)], "views": rng.integers(0, 10**6, n),
                             "primary_topic": ["t1"] * n})
    follows = pd.DataFrame({"target_id": np.repeat(creators["id"].to_numpy(), follows_per)})
    engages = pd.DataFrame({"target_id": creators["id"], "views": rng.poisson(3.0, n)})
    topics = pd.DataFrame({"id": ["t1"], "name": ["Science"]})
    r = concentration(creators, follows, engages, topics, NO_PARENTS)
    for measure, x in (("follows", follows_per), ("views", creators["views"].to_numpy()),
                       ("engagement", engages["views"].to_numpy())):
        row = _rows(r, "overall", measure).iloc[0]
        share = np.sort(x)[::-1] / x.sum()
        assert row["gini"] == pytest.approx(_gini_by_mean_difference(x), rel=1e-9)
        assert row["hhi"] == pytest.approx(float((share ** 2).sum()), rel=1e-9)
        # 1% and 10% of 1000 creators are whole creators: the top 10 and top 100.
        assert row["top1_share"] == pytest.approx(share[:10].sum(), rel=1e-9)
        assert row["top10_share"] == pytest.approx(share[:100].sum(), rel=1e-9)


def test_lorenz_curve_passes_through_the_hand_worked_points():
    r = lorenz(CREATORS, FOLLOWS, ENGAGES, TOPICS, SUBTOPIC_OF, points=6)
    curve = _rows(r, "overall")
    # Follows sorted up: 0, 0, 1, 2, 3 of 6. At 0, 1/5 ... 5/5 of creators: 0, 0, 0, 1/6, 3/6, 1.
    assert curve["creator_share"].tolist() == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert curve["attention_share"].tolist() == pytest.approx([0, 0, 0, 1 / 6, 3 / 6, 1.0])
    # Health's c 1, d 3 halfway between their points: at 0.5 of its creators (c), 1/4.
    health = lorenz(CREATORS, FOLLOWS, ENGAGES, TOPICS, SUBTOPIC_OF, points=3)
    health_curve = _rows(health, "field")
    assert health_curve[health_curve["field"] == "t3"]["attention_share"].tolist() == pytest.approx([0, 0.25, 1])


def test_lorenz_gives_at_most_the_points_asked_per_curve_and_refuses_too_many():
    r = lorenz(CREATORS, FOLLOWS, ENGAGES, TOPICS, SUBTOPIC_OF)
    sizes = r.frame.groupby(["scope", "field", "measure"]).size()
    assert set(sizes) == {101}
    assert r.frame.groupby(["scope", "field", "measure"])["attention_share"].apply(
        lambda s: s.dropna().is_monotonic_increasing).all()
    with pytest.raises(ArgumentError, match="points must be an integer in \\[2, 1001\\]"):
        lorenz(CREATORS, FOLLOWS, ENGAGES, TOPICS, SUBTOPIC_OF, points=5000)


def test_concentration_refuses_a_creator_frame_without_the_derived_columns():
    with pytest.raises(ArgumentError, match="concentration: creators needs the columns .*missing 'views'"):
        concentration(CREATORS.drop(columns=["views"]), FOLLOWS, ENGAGES, TOPICS, SUBTOPIC_OF)


# --- fair access --------------------------------------------------------------------------------

# Fields: t1 Health (with subtopic t2 Nutrition) and t3 Agriculture.  c1 works on Nutrition (so
# Health), c2 on Agriculture, c3 has no primary topic.
FA_TOPICS = pd.DataFrame({"id": ["t1", "t2", "t3"], "name": ["Health", "Nutrition", "Agriculture"]})
FA_SUBTOPICS = pd.DataFrame({"source_id": ["t2"], "target_id": ["t1"]})
FA_CREATORS = pd.DataFrame({"id": ["c1", "c2", "c3"], "primary_topic": ["t2", "t3", None]})
FA_VIEWERS = pd.DataFrame({"id": ["v1", "v2", "v3", "v4", "v5"],
                           "age_band": ["60_plus", "60_plus", "25_34", "25_34", "unknown"],
                           "region_type": ["rural", "urban", "urban", "rural", "urban"]})
FA_ENGAGES = pd.DataFrame({"source_id": ["v1", "v3", "v3", "v4", "v5", "v2"],
                           "target_id": ["c1", "c1", "c2", "c2", "c3", "c3"],
                           "views": [2, 4, 1, 3, 5, 1]})


def _cell(frame, measure, field, value):
    found = frame[(frame["measure"] == measure) & (frame["field"] == field) & (frame["value"] == value)]
    assert len(found) == 1
    return found.iloc[0]


@pytest.mark.parametrize("measure, field, value, rate, overall, viewers", [
    # Health reach: v1 and v3 of 5 (0.4).  60_plus: v1 of v1, v2; urban: v3 of v2, v3, v5.
    ("reach", "t1", "60_plus", 0.5, 0.4, 2),
    ("reach", "t1", "urban", 1 / 3, 0.4, 3),
    ("reach", "t1", "unknown", 0.0, 0.4, 1),
    # Agriculture reach: v3, v4 (0.4); no 60_plus viewer, both 25_34 ones.
    ("reach", "t3", "60_plus", 0.0, 0.4, 2),
    ("reach", "t3", "25_34", 1.0, 0.4, 2),
    # Health views: 2 + 4 = 6 over 5 viewers; 60_plus 2 over 2; urban 4 over 3.
    ("views_per_viewer", "t1", "60_plus", 1.0, 1.2, 2),
    ("views_per_viewer", "t1", "urban", 4 / 3, 1.2, 3),
    # Agriculture views: 1 + 3 = 4 over 5; rural (v1, v4) 3 over 2.
    ("views_per_viewer", "t3", "rural", 1.5, 0.8, 2),
    # All fields: every creator, c3 included: 16 views over 5; 60_plus (2 + 1) / 2; urban (1 + 5 + 5) / 3.
    ("views_per_viewer", "", "60_plus", 1.5, 3.2, 2),
    ("views_per_viewer", "", "urban", 11 / 3, 3.2, 3),
    ("reach", "", "rural", 1.0, 1.0, 2),
])
def test_fair_access_rates_and_ratios_match_hand_worked_values(measure, field, value, rate, overall, viewers):
    r = fair_access(FA_VIEWERS, FA_ENGAGES, FA_CREATORS, FA_TOPICS, FA_SUBTOPICS, resamples=200)
    row = _cell(r.frame, measure, field, value)
    assert row["viewers"] == viewers
    assert row["rate"] == pytest.approx(rate)
    assert row["overall_rate"] == pytest.approx(overall)
    assert row["ratio"] == pytest.approx(rate / overall)
    assert row["field_name"] == {"t1": "Health", "t3": "Agriculture", "": ""}[field]


def test_fair_access_splits_by_one_property_at_a_time_in_the_models_order():
    r = fair_access(FA_VIEWERS, FA_ENGAGES, FA_CREATORS, FA_TOPICS, FA_SUBTOPICS, resamples=50)
    cells = r.frame[(r.frame["measure"] == "reach") & (r.frame["field"] == "t1")]
    assert sorted(zip(cells["segment"], cells["value"])) == sorted(
        [("age_band", "60_plus"), ("age_band", "25_34"), ("age_band", "unknown"),
         ("region_type", "rural"), ("region_type", "urban")])
    # 2 measures x 3 fields (all, Health, Agriculture) x 5 segment values.
    assert len(r.frame) == r.summary["cells"] == 30


def test_fair_access_flags_an_interval_below_one_lists_it_first_and_never_flags_unknown():
    # 300 viewers aged 60+ never reach Health; 300 aged 25-34 all do; 300 of unknown age never do.
    n = 300
    viewers = pd.DataFrame({"id": [f"v{i}" for i in range(3 * n)],
                            "age_band": ["60_plus"] * n + ["25_34"] * n + ["unknown"] * n,
                            "region_type": ["urban"] * (3 * n)})
    engages = pd.DataFrame({"source_id": viewers["id"],
                            "target_id": ["c2"] * n + ["c1"] * n + ["c2"] * n, "views": 1})
    r = fair_access(viewers, engages, FA_CREATORS, FA_TOPICS, FA_SUBTOPICS, resamples=200)
    old = _cell(r.frame, "reach", "t1", "60_plus")
    assert old["ratio"] == 0 and old["ratio_high"] == 0 and old["under_served"]
    unknown = _cell(r.frame, "reach", "t1", "unknown")
    assert unknown["ratio_high"] == 0 and not unknown["under_served"]
    flags = r.frame["under_served"].tolist()
    assert flags == sorted(flags, reverse=True) and flags[0]
    assert r.summary["under_served_cells"] == sum(flags)
    # The young: reach 1 against 1/3 overall, ratio 3; their interval excludes 1 from above.
    young = _cell(r.frame, "reach", "t1", "25_34")
    assert young["ratio"] == pytest.approx(3.0) and young["ratio_low"] > 1 and not young["under_served"]


def test_fair_access_interval_agrees_with_a_plain_per_viewer_poisson_bootstrap():
    # The grouped bootstrap draws Poisson(m) for m viewers alike; a naive one draws Poisson(1) per
    # viewer.  Same distribution: the percentile intervals agree to Monte Carlo error.
    rng = np.random.default_rng(5)
    n = 2000
    age = rng.choice(["60_plus", "25_34", "35_44"], n, p=[0.2, 0.4, 0.4])
    views = rng.poisson(np.where(age == "60_plus", 2.0, 3.0)) + 1
    viewers = pd.DataFrame({"id": [f"v{i}" for i in range(n)], "age_band": age})
    engages = pd.DataFrame({"source_id": viewers["id"], "target_id": "c1", "views": views})
    r = fair_access(viewers, engages, FA_CREATORS, FA_TOPICS, FA_SUBTOPICS, segments=("age_band",),
                    resamples=4000, seed=1)
    got = _cell(r.frame, "views_per_viewer", "t1", "60_plus")
    w = np.random.default_rng(2).poisson(1.0, size=(4000, n))
    old = age == "60_plus"
    ratio = ((w[:, old] @ views[old]) / w[:, old].sum(axis=1)) / ((w @ views) / w.sum(axis=1))
    low, high = np.percentile(ratio, [2.5, 97.5])
    assert got["ratio"] == pytest.approx(views[old].mean() / views.mean())
    assert got["ratio_low"] == pytest.approx(low, abs=0.005)
    assert got["ratio_high"] == pytest.approx(high, abs=0.005)


def test_fair_access_is_reproducible_by_seed_and_shows_viewers_only_as_counts():
    args = (FA_VIEWERS, FA_ENGAGES, FA_CREATORS, FA_TOPICS, FA_SUBTOPICS)
    first, again = fair_access(*args, seed=3, resamples=100), fair_access(*args, seed=3, resamples=100)
    other = fair_access(*args, seed=4, resamples=100)
    pd.testing.assert_frame_equal(first.frame, again.frame)
    assert not first.frame["ratio_low"].equals(other.frame["ratio_low"])
    assert first.provenance.seed == 3 and first.provenance.parameters["resamples"] == 100
    shown = set(first.frame.astype(str).to_numpy().ravel())
    assert not shown & set(FA_VIEWERS["id"])


@pytest.mark.parametrize("kwargs, message", [
    ({"segments": ("income",)}, "fair_access: unknown segment 'income'; viewers can be split by 'age_band', "
                                "'region_type'"),
    ({"segments": "age_band"}, "segments must be a non-empty tuple"),
    ({"resamples": 5}, "resamples must be an integer >= 20, got 5"),
    ({"seed": -1}, "seed must be an integer in"),
])
def test_fair_access_refuses_bad_arguments_in_one_line(kwargs, message):
    with pytest.raises(ArgumentError, match=message):
        fair_access(FA_VIEWERS, FA_ENGAGES, FA_CREATORS, FA_TOPICS, FA_SUBTOPICS, **kwargs)


def test_fair_access_refuses_an_empty_viewer_frame_in_one_line():
    with pytest.raises(AnalysisError, match="^fair_access: the viewers frame is empty"):
        fair_access(FA_VIEWERS.iloc[:0], FA_ENGAGES, FA_CREATORS, FA_TOPICS, FA_SUBTOPICS)


# --- resource allocation ------------------------------------------------------------------------

def test_resource_allocation_matches_hand_worked_shares_and_puts_the_most_under_resourced_first():
    # Partnerships: i1-a (Science), i1-c and i2-d (Health), i2-e (no field: inactive creator).
    partners = pd.DataFrame({"source_id": ["i1", "i1", "i2", "i2"], "target_id": ["a", "c", "d", "e"],
                             "campaign": ["science_support_plan", "public_welfare", None, "none"]})
    # Declarations: Physics counts for Science.  Science: v1, v2, v2 (3 of 4); Health: v3 (1 of 4).
    interest = pd.DataFrame({"source_id": ["v1", "v2", "v2", "v3"], "target_id": ["t2", "t1", "t2", "t3"]})
    affiliated = pd.DataFrame({"source_id": ["a", "b", "c"], "target_id": ["i1", "i1", "i2"]})
    institutions = pd.DataFrame({"id": ["i1", "i2", "i3"]})
    r = resource_allocation(partners, CREATORS, institutions, interest, TOPICS, SUBTOPIC_OF, affiliated)
    rows = r.frame.set_index("field")
    # Science: 1 of 3 placed partnerships against 3/4 of interest: 4/9, the most under-resourced.
    assert r.frame["field"].tolist() == ["t1", "t3"]
    assert rows.at["t1", "partnership_share"] == pytest.approx(1 / 3)
    assert rows.at["t1", "interest_share"] == pytest.approx(3 / 4)
    assert rows.at["t1", "ratio"] == pytest.approx(4 / 9)
    assert rows.at["t1", "interested_viewers"] == 2
    # Health: 2 of 3 against 1/4: 8/3; two institutions, one partnership with no campaign given.
    assert rows.at["t3", "ratio"] == pytest.approx(8 / 3)
    assert rows.at["t3", "institutions"] == 2
    assert rows.at["t3", "partnerships_public_welfare"] == 1
    assert rows.at["t3", "partnerships_none"] == 0
    assert rows.at["t1", "partnerships_science_support_plan"] == 1
    # Affiliations: a, b in Science, c in Health: 2/3 against 3/4, 1/3 against 1/4.
    assert rows.at["t1", "affiliation_ratio"] == pytest.approx((2 / 3) / (3 / 4))
    assert rows.at["t3", "affiliation_ratio"] == pytest.approx((1 / 3) / (1 / 4))
    assert r.summary["partnerships"] == 4 and r.summary["partnerships_without_field"] == 1
    assert r.summary["institutions"] == 3 and r.summary["institutions_partnering"] == 2
    assert rows["field_name"].to_dict() == {"t1": "Science", "t3": "Health"}


def test_resource_allocation_lists_a_field_nobody_declared_interest_in_last():
    partners = pd.DataFrame({"source_id": ["i1"], "target_id": ["c"], "campaign": ["none"]})
    interest = pd.DataFrame({"source_id": ["v1"], "target_id": ["t2"]})
    r = resource_allocation(partners, CREATORS, pd.DataFrame({"id": ["i1"]}), interest, TOPICS, SUBTOPIC_OF)
    assert r.frame["field"].tolist() == ["t1", "t3"]
    assert r.frame["ratio"].tolist()[0] == 0 and np.isnan(r.frame["ratio"].tolist()[1])
    assert "affiliations" not in r.frame.columns


# --- the generator's planted effects ------------------------------------------------------------

@pytest.fixture(scope="module")
def generated_store() -> EmbeddedStore:
    """Scale 1000, seed 0: the numbers docs/generator.md reports."""
    frames = generate_frames(1000, 0)
    pseudonyms = Pseudonymiser(b"allocation-test-key-0123")
    nodes = {k.label: frames[k.file] for k in model.NODE_KINDS}
    nodes[model.VIEWER.label] = nodes[model.VIEWER.label].assign(id=lambda f: pseudonyms(f["id"]).to_numpy())
    relationships = {}
    for kind in model.REL_KINDS:
        frame = frames[kind.file]
        if kind.source == model.VIEWER.label:
            frame = frame.assign(source_id=pseudonyms(frame["source_id"]).to_numpy())
        relationships[kind.type] = frame
    store = EmbeddedStore()
    store.load(nodes, relationships, key_fingerprint=pseudonyms.fingerprint)
    return store


def test_top_one_percent_hold_the_share_of_follows_the_generator_documents(generated_store):
    s = generated_store
    r = concentration(s.nodes("Creator"), s.relationships("FOLLOWS"), s.relationships("ENGAGES_WITH"),
                      s.nodes("Topic"), s.relationships("SUBTOPIC_OF"))
    # docs/generator.md: 39.5% at N = 1000, seed 0 (36.5-39.7% over seeds 0-7).
    assert r.summary["top1_share_follows"] == pytest.approx(0.395, abs=0.0005)
    assert 0.365 <= r.summary["top1_share_follows"] <= 0.397


@pytest.fixture(scope="module")
def generated_access(generated_store):
    s = generated_store
    return fair_access(s.nodes("Viewer"), s.relationships("ENGAGES_WITH"), s.nodes("Creator"), s.nodes("Topic"),
                       s.relationships("SUBTOPIC_OF"), seed=0).frame


@pytest.mark.parametrize("value, home", [("60_plus", "Health"), ("rural", "Agriculture")])
def test_older_and_rural_viewers_are_under_served_except_in_their_planted_home_field(generated_access, value, home):
    frame = generated_access[(generated_access["value"] == value)
                             & (generated_access["measure"] == "views_per_viewer")]
    # Their follow factor (60_plus 0.7, rural 0.85, against about 0.97) scales all their engagement.
    overall = frame[frame["field"] == ""].iloc[0]
    assert overall["ratio"] < 1 and overall["ratio_high"] < 1 and overall["under_served"]
    # A quarter of them have a home subtopic in their planted field: over-served there.
    planted = frame[frame["field_name"] == home].iloc[0]
    assert planted["ratio_low"] > 1 and not planted["under_served"]
    # Every other field: under-served in most (all 9 at this seed for 60_plus, 9 for rural with
    # Law's interval reaching 0.99: the claim leaves room for one or two near 1).
    others = frame[(frame["field"] != "") & (frame["field_name"] != home)]
    assert len(others) == 9
    assert (others["ratio"] < 1).all()
    assert others["under_served"].sum() >= 7


def test_older_and_rural_viewers_reach_fewer_fields_too(generated_access):
    reach = generated_access[(generated_access["measure"] == "reach") & (generated_access["field"] != "")]
    for value, home in (("60_plus", "Health"), ("rural", "Agriculture")):
        cells = reach[(reach["value"] == value) & (reach["field_name"] != home)]
        assert cells["under_served"].sum() >= 7
