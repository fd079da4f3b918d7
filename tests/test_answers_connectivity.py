"""Question 1 (efficient connectivity): reach, interest match, brokers and co-creation.

Hand-built graphs and frames with answers worked out in the comments; the generated dataset
(300 creators) on both stores, against the named query ``institution_reach`` and networkx;
participation coefficients against networkx; partnership effects planted and absent.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import loaders
from graphkit import EmbeddedStore, Pseudonymiser, broker_score, louvain, model
from graphkit.analysis.brokers import brokers, participation_coefficient
from graphkit.analysis.cocreation import co_creation, partnership_effect
from graphkit.analysis.connect import institution_fields, institution_reach
from graphkit.analysis.interest import interest_match, interest_served
from graphkit.errors import ArgumentError
from loaders.generator import generate_frames

KEY = b"answers-connectivity-key-0123"


# --- hand-built reach ------------------------------------------------------------------------

def _reach_graph() -> nx.Graph:
    """i1 -(AFFILIATED)- a -(FOLLOWS)- v1 (60_plus, rural); a -(COLLAB)- b -(ENGAGES)- v2 (18_24, rural);
    i2 -(PARTNERS)- b; v3 (18_24, urban) engages with c, which no institution reaches; v4 (60_plus,
    urban) is alone.  An i1 - c edge of a type knowledge does not pass by (PUBLISHES_ON) is left out."""
    G = nx.Graph()
    kinds = {"i1": "Institution", "i2": "Institution", "a": "Creator", "b": "Creator", "c": "Creator",
             "v1": "Viewer", "v2": "Viewer", "v3": "Viewer", "v4": "Viewer"}
    G.add_nodes_from((n, {"kind": k, "id": n}) for n, k in kinds.items())
    G.add_edges_from([("i1", "a", {"type": "AFFILIATED_WITH"}), ("a", "v1", {"type": "FOLLOWS"}),
                      ("a", "b", {"type": "COLLABORATES_WITH"}), ("b", "v2", {"type": "ENGAGES_WITH"}),
                      ("i2", "b", {"type": "PARTNERS_WITH"}), ("c", "v3", {"type": "ENGAGES_WITH"}),
                      ("i1", "c", {"type": "PUBLISHES_ON"})])  # not a reach type: left out
    return G


INSTITUTIONS = pd.DataFrame({"id": ["i1", "i2"], "name": ["Lab One", "Museum Two"],
                             "category": ["research_institute", "museum"]})
VIEWERS = pd.DataFrame({"id": ["v1", "v2", "v3", "v4"], "age_band": ["60_plus", "18_24", "18_24", "60_plus"],
                        "region_type": ["rural", "rural", "urban", "urban"]})


def _rows(result, level, id_, segment="all", value="all"):
    f = result.frame
    return f[(f["level"] == level) & (f["id"] == id_) & (f["segment"] == segment) & (f["value"] == value)]


def test_institution_reach_counts_hops_on_a_hand_built_graph():
    r = institution_reach(_reach_graph(), INSTITUTIONS, VIEWERS, max_hops=4)
    # From i1: a at 1; v1 and b at 2; v2 at 3 (i1-a-b-v2); v3 never (the i1-c edge is PUBLISHES_ON).
    i1 = _rows(r, "institution", "i1")
    assert i1["reached_at_hop"].tolist() == [0, 1, 1, 0]
    assert i1["reached_within"].tolist() == [0, 1, 2, 2]
    assert i1["share_within"].tolist() == [0, 0.25, 0.5, 0.5]  # of 4 viewers
    assert i1["creators_within"].tolist() == [1, 2, 2, 2]  # a; then b
    # From i2: b at 1; v2 and a at 2; v1 at 3.
    assert _rows(r, "institution", "i2")["reached_within"].tolist() == [0, 1, 2, 2]
    # Both together (and the research_institute + museum categories alone are each one of them):
    # nearest of i1, i2: v1 at 2 (via a), v2 at 2 (via b).
    assert _rows(r, "all", "all")["reached_at_hop"].tolist() == [0, 2, 0, 0]
    assert _rows(r, "category", "museum")["reached_within"].tolist() == [0, 1, 2, 2]
    # Segments, each denominator its own: rural = {v1, v2}, both within 3 of i1; 60_plus = {v1, v4}.
    assert _rows(r, "institution", "i1", "region_type", "rural")["share_within"].tolist() == [0, 0.5, 1, 1]
    sixty = _rows(r, "institution", "i1", "age_band", "60_plus")
    assert sixty["viewers"].tolist() == [2] * 4 and sixty["share_within"].tolist() == [0, 0.5, 0.5, 0.5]
    assert r.summary["share_within_2"] == 0.5 and r.summary["hops_2"] == 2
    assert any("PUBLISHES_ON" not in c and "kept" in c for c in r.provenance.conversions)


def test_institution_reach_rows_by_field_take_every_institution_of_the_field():
    fields = pd.DataFrame({"id": ["i1", "i2"], "field": ["f1", "f1"], "field_name": ["Science", "Science"]})
    r = institution_reach(_reach_graph(), INSTITUTIONS, VIEWERS, fields=fields, max_hops=3)
    row = _rows(r, "field", "f1")
    assert row["institutions"].tolist() == [2, 2, 2] and row["name"].iat[0] == "Science"
    assert row["reached_within"].tolist() == [0, 2, 2]
    assert _rows(r, "institution", "i1")["field_name"].iat[0] == "Science"


def test_institution_reach_of_more_institutions_than_a_word_holds_equals_networkx():
    # 70 institutions: the search's bit sets take two 64-bit words
    rng = np.random.default_rng(4)
    G = nx.Graph()
    kinds = {"Institution": 70, "Creator": 60, "Viewer": 300}
    for kind, count in kinds.items():
        G.add_nodes_from((f"{kind[0]}{k}", {"kind": kind, "id": f"{kind[0]}{k}"}) for k in range(count))
    for a, b, kind, m in (("I", "C", "PARTNERS_WITH", 60), ("C", "C", "COLLABORATES_WITH", 20),
                          ("V", "C", "FOLLOWS", 250)):
        ends = zip(rng.integers(0, kinds[{"I": "Institution", "C": "Creator", "V": "Viewer"}[a]], m),
                   rng.integers(0, 60, m))
        G.add_edges_from(((f"{a}{x}", f"{b}{y}", {"type": kind}) for x, y in ends if f"{a}{x}" != f"{b}{y}"))
    institutions = pd.DataFrame({"id": [f"I{k}" for k in range(70)], "name": "x", "category": "university"})
    viewers = pd.DataFrame({"id": [f"V{k}" for k in range(300)], "age_band": "18_24", "region_type": "urban"})
    r = institution_reach(G, institutions, viewers, max_hops=5)
    for inst in institutions["id"]:
        hops = _networkx_hops(G, [inst], 5)
        want = [sum(1 for k, d in hops.items() if k.startswith("V") and d <= h) for h in range(1, 6)]
        assert _rows(r, "institution", inst)["reached_within"].tolist() == want, inst
    hops = _networkx_hops(G, list(institutions["id"]), 5)
    assert _rows(r, "all", "all")["reached_within"].iat[-1] == sum(1 for k in hops if k.startswith("V"))


def test_institution_fields_take_the_field_of_most_tied_creators_ties_to_the_smallest_id():
    topics = pd.DataFrame({"id": ["f1", "f2", "s1"], "name": ["Science", "Health", "Physics"]})
    sub = pd.DataFrame({"source_id": ["s1"], "target_id": ["f1"]})
    creators = pd.DataFrame({"id": ["a", "b", "c", "d"], "primary_topic": ["s1", "f2", None, "f1"]})
    aff = pd.DataFrame({"source_id": ["a", "b", "c"], "target_id": ["i1", "i1", "i1"]})
    part = pd.DataFrame({"source_id": ["i1", "i3"], "target_id": ["a", "c"]})  # a twice for i1: counted once
    out = institution_fields(pd.DataFrame({"id": ["i1", "i2", "i3"]}), creators, aff, part, topics, sub)
    # i1: a (Physics -> f1) and b (f2) tie 1-1: the smaller id f1; c has no primary topic.
    assert out[["field", "tied_creators", "field_creators"]].values.tolist() == [["f1", 2, 1], ["", 0, 0],
                                                                                  ["", 0, 0]]


def test_institution_reach_refuses_bad_arguments():
    with pytest.raises(ArgumentError, match="max_hops"):
        institution_reach(_reach_graph(), INSTITUTIONS, VIEWERS, max_hops=0)
    with pytest.raises(ArgumentError, match="unknown segment 'income'"):
        institution_reach(_reach_graph(), INSTITUTIONS, VIEWERS, segments=["income"])
    with pytest.raises(ArgumentError, match="missing 'category'"):
        institution_reach(_reach_graph(), INSTITUTIONS.drop(columns="category"), VIEWERS)
    with pytest.raises(ArgumentError, match="1 viewers that viewers lacks"):
        institution_reach(_reach_graph(), INSTITUTIONS, VIEWERS.iloc[1:])


# --- the generated dataset on both stores ----------------------------------------------------

@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("connect") / "data"
    loaders.generate(300, 3, out)
    return loaders.read_dataset(out, pseudonymise=Pseudonymiser(KEY))


def _networkx_hops(G: nx.Graph, sources: list, h: int) -> dict:
    return nx.multi_source_dijkstra_path_length(G, sources, cutoff=h, weight=lambda u, v, d: 1)


def test_institution_reach_equals_the_named_query_and_networkx(store, dataset):
    store.load(dataset)
    graph = store.analysis_graph("reach")
    institutions, viewers = store.nodes("Institution"), store.nodes("Viewer")
    fields = institution_fields(institutions, store.nodes("Creator"), store.relationships("AFFILIATED_WITH"),
                                store.relationships("PARTNERS_WITH"), store.nodes("Topic"),
                                store.relationships("SUBTOPIC_OF"))
    r = institution_reach(graph, institutions, viewers, fields=fields, max_hops=4)
    assert r.provenance.graph["name"] == "reach"
    G = graph.to_networkx()
    segment = viewers.set_index("id")
    for inst in institutions["id"]:
        mine = _rows(r, "institution", inst)
        query = store.query("institution_reach", institution=inst, k=4)
        assert mine["reached_within"].tolist() == query["viewers"].tolist(), inst
        assert mine["creators_within"].tolist() == query["creators"].tolist(), inst
        hops = _networkx_hops(G, [model.node_key("Institution", inst)], 4)
        reached = pd.Series({k.split(":", 1)[1]: d for k, d in hops.items() if k.startswith("Viewer:")}, dtype=int)
        want = [(reached <= h).sum() for h in range(1, 5)]
        assert mine["reached_within"].tolist() == want, inst
        rural = reached[segment.loc[reached.index, "region_type"].eq("rural").to_numpy()]
        assert _rows(r, "institution", inst, "region_type", "rural")["reached_within"].tolist() == \
            [(rural <= h).sum() for h in range(1, 5)]
    # a field's row: the nearest of its institutions, as a multi-source search finds it
    field = fields.loc[fields["field"] != "", "field"].iat[0]
    members = fields.loc[fields["field"] == field, "id"]
    hops = _networkx_hops(G, [model.node_key("Institution", i) for i in members], 4)
    exact = np.bincount([d for k, d in hops.items() if k.startswith("Viewer:")], minlength=5)[1:]
    assert _rows(r, "field", field)["reached_at_hop"].tolist() == exact.tolist()


# --- interest match --------------------------------------------------------------------------

#: Science (sci) > Physics (phy) > Optics (opt); Health (hea) a field of its own.
TOPICS = pd.DataFrame({"id": ["sci", "phy", "opt", "hea"], "name": ["Science", "Physics", "Optics", "Health"]})
SUBTOPIC_OF = pd.DataFrame({"source_id": ["phy", "opt"], "target_id": ["sci", "phy"]})
#: a: Optics; b: Health; z: no primary topic (no videos).
CREATORS = pd.DataFrame({"id": ["a", "b", "z"], "name": ["Ann", "Bo", "Zed"], "primary_topic": ["opt", "hea", None]})
AUDIENCE = pd.DataFrame({"id": ["v1", "v2", "v3"], "age_band": ["60_plus", "18_24", "18_24"],
                         "region_type": ["rural", "urban", "rural"]})
#: v1 declared Science (so Optics, two levels down, matches); v2 declared Health; v3 declared Physics.
INTEREST = pd.DataFrame({"source_id": ["v1", "v2", "v3"], "target_id": ["sci", "hea", "phy"]})
ENGAGEMENT = pd.DataFrame({"source_id": ["v1", "v1", "v2", "v2", "v3", "v3"],
                           "target_id": ["a", "b", "a", "b", "b", "z"], "views": [4, 1, 3, 2, 5, 7]})


def _cell(frame, field, segment="all", value="all"):
    return frame[(frame["field"] == field) & (frame["segment"] == segment) & (frame["value"] == value)].iloc[0]


def test_interest_match_counts_views_of_declared_topics_and_their_subtopics_at_any_depth():
    r = interest_match(AUDIENCE, ENGAGEMENT, CREATORS, INTEREST, TOPICS, SUBTOPIC_OF)
    # Matched: v1->a (Optics under declared Science, 4), v2->b (declared Health, 2).  Not: v1->b (1),
    # v2->a (3), v3->b (5).  v3->z (7) has no topic: left out.  4 + 2 of 4 + 1 + 3 + 2 + 5 = 15.
    assert r.summary == {"views": 15, "matched_views": 6, "match_share": 6 / 15, "views_without_topic": 7}
    everyone = _cell(r.frame, "all")
    assert (everyone["viewers"], everyone["views"], everyone["matched_views"]) == (3, 15, 6)
    # Per field: Science (a's Optics) got 4 + 3 = 7 views, 4 matched; Health 1 + 2 + 5 = 8, 2 matched.
    assert _cell(r.frame, "sci")[["viewers", "views", "matched_views"]].tolist() == [2, 7, 4]
    assert _cell(r.frame, "hea")["match_share"] == pytest.approx(2 / 8)
    # 18_24 = v2, v3: views 3 + 2 + 5 = 10, matched 2; rural = v1, v3: 4 + 1 + 5 = 10, matched 4.
    assert _cell(r.frame, "all", "age_band", "18_24")["match_share"] == pytest.approx(0.2)
    assert _cell(r.frame, "all", "region_type", "rural")["matched_views"] == 4
    assert _cell(r.frame, "hea", "region_type", "rural")[["viewers", "views"]].tolist() == [2, 6]
    assert r.frame["field"].iloc[0] == "all" and list(r.frame["field"].unique()) == ["all", "hea", "sci"]


def test_interest_served_lists_the_least_served_field_first():
    r = interest_served(AUDIENCE, ENGAGEMENT, CREATORS, INTEREST, TOPICS, SUBTOPIC_OF)
    every = r.frame[r.frame["segment"] == "all"]
    # Science interest: v1 (Science) and v3 (Physics).  Their views (with a topic): v1 4 + 1, v3 5 = 10;
    # to Science creators: v1's 4 -> 0.4.  Health interest: v2, views 3 + 2 = 5, to Health 2 -> 0.4 too;
    # equal shares go by field id: hea first.
    assert every[["field", "interested_viewers", "their_views", "views_in_field"]].values.tolist() == [
        ["hea", 1, 5, 2], ["sci", 2, 10, 4]]
    assert r.summary["least_served_field"] == "hea" and r.summary["least_served_share"] == pytest.approx(0.4)
    assert r.summary["served_share"] == pytest.approx(6 / 15)
    rural = r.frame[(r.frame["segment"] == "region_type") & (r.frame["value"] == "rural")]
    assert rural[["field", "served_share"]].values.tolist()[0] == ["sci", 0.4]  # v1 and v3: 4 of 10


def test_interest_match_refuses_viewers_it_does_not_know():
    with pytest.raises(ArgumentError, match="engages_with names viewers not in the viewers frame"):
        interest_match(AUDIENCE.iloc[:1], ENGAGEMENT, CREATORS, INTEREST, TOPICS, SUBTOPIC_OF)


# --- brokers -----------------------------------------------------------------------------------

def test_participation_coefficient_by_hand():
    # h: neighbours a, b (community 0), c, d (1), e (2): 1 - (2/5)^2 - (2/5)^2 - (1/5)^2 = 0.64.
    # a: h (0), b (0): 0.  e: only h: 0.  x has no community; its neighbour d counts x in nothing.
    G = nx.Graph([("h", "a"), ("h", "b"), ("h", "c"), ("h", "d"), ("h", "e"), ("a", "b"), ("d", "x")])
    parts = pd.DataFrame({"kind": "", "id": ["h", "a", "b", "c", "d", "e"], "community": [0, 0, 0, 1, 1, 2]})
    r = participation_coefficient(G, parts)
    got = r.frame.set_index("id")
    assert got.loc["h", "participation"] == pytest.approx(0.64)
    assert got.loc["h", "neighbour_communities"] == 3 and got.loc["d", "neighbours"] == 1
    assert got.loc["a", "participation"] == 0 and got.loc["x", "participation"] == 0  # x: d is its one tie
    assert pd.isna(got.loc["x", "community"]) and r.summary["unlabelled_nodes"] == 1


def test_participation_coefficient_equals_an_independent_computation():
    G = nx.karate_club_graph()
    parts = louvain(G, seed=1)
    r = participation_coefficient(G, parts).frame.set_index("id")
    label = dict(zip(parts.frame["id"], parts.frame["community"]))
    for node in G:
        counts = pd.Series([label[n] for n in G[node]]).value_counts()
        want = 1 - ((counts / counts.sum()) ** 2).sum()
        assert r.loc[node, "participation"] == pytest.approx(want, abs=1e-12)


def test_brokers_name_creators_with_fields_and_equal_the_broker_score(dataset):
    store = EmbeddedStore()
    store.load(dataset)
    graph = store.analysis_graph("reach")
    parts = louvain(graph, seed=0)
    r = brokers(graph, store.nodes("Creator"), store.nodes("Topic"), store.relationships("SUBTOPIC_OF"),
                communities=parts)
    plain = broker_score(graph).frame.set_index("id")["broker_score"]
    assert r.frame.set_index("id")["broker_score"].to_dict() == pytest.approx(plain.to_dict())
    assert r.frame["broker_score"].is_monotonic_decreasing
    top = r.frame.iloc[0]
    assert top["name"] and top["field_name"] and top["field"].startswith("t") and 0 <= top["participation"] < 1
    assert r.summary["top_broker"] == top["id"] and r.provenance.graph["name"] == "reach"


# --- co-creation and the partnership effect ----------------------------------------------------

def test_co_creation_groups_ties_by_institution_campaign_and_field():
    inst = pd.DataFrame({"id": ["i1", "i2"], "name": ["Lab", "Clinic"], "category": ["university", "hospital"]})
    part = pd.DataFrame({"source_id": ["i1", "i1", "i2"], "target_id": ["a", "b", "b"],
                         "campaign": ["public_welfare", "public_welfare", "none"]})
    aff = pd.DataFrame({"source_id": ["a"], "target_id": ["i2"]})
    r = co_creation(part, aff, CREATORS, inst, TOPICS, SUBTOPIC_OF, ENGAGEMENT)
    got = r.frame[["institution", "tie", "campaign", "field", "creators", "creator_names", "viewers", "views"]]
    # i1's public_welfare partners: a (Science: v1 4, v2 3) and b (Health: v1 1, v2 2, v3 5).
    # i2: partner b (Health), affiliated a (Science).
    assert got.values.tolist() == [
        ["i1", "partner", "public_welfare", "hea", 1, "Bo", 3, 8],
        ["i1", "partner", "public_welfare", "sci", 1, "Ann", 2, 7],
        ["i2", "affiliated", "", "sci", 1, "Ann", 2, 7],
        ["i2", "partner", "none", "hea", 1, "Bo", 3, 8],
    ]
    assert r.summary["partnerships"] == 3 and r.summary["partner_viewers"] == 3 and r.summary["fields_reached"] == 2


def _creators_as_stored(frames: dict) -> pd.DataFrame:
    """The creators with the store's derived active and primary_topic (most videos, ties to the smallest id)."""
    pub = frames["publishes_on"].sort_values(["source_id", "videos", "target_id"], ascending=[True, False, True])
    primary = pub.drop_duplicates("source_id").set_index("source_id")["target_id"]
    creators = frames["creators"].copy()
    creators["primary_topic"] = creators["id"].map(primary)
    creators["active"] = creators["primary_topic"].notna()
    return creators


def _effect(frames: dict, engages_with: pd.DataFrame):
    return partnership_effect(frames["partners_with"], _creators_as_stored(frames), frames["topics"],
                              frames["subtopic_of"], engages_with, seed=0)


PLANTED = 100


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_partnership_effect_recovers_a_planted_effect(seed):
    frames = generate_frames(3000, seed)
    partnered = frames["partners_with"]["target_id"].unique()
    # every partnered creator gets PLANTED more distinct viewers, new ones who watch only it
    extra = pd.DataFrame({"source_id": [f"extra{c}-{k}" for c in partnered for k in range(PLANTED)],
                          "target_id": np.repeat(partnered, PLANTED), "views": 1})
    s = _effect(frames, pd.concat([frames["engages_with"], extra], ignore_index=True)).summary
    assert s["matched_ci_low_viewers"] > 0
    assert s["matched_difference_viewers"] == pytest.approx(PLANTED, rel=0.25)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_partnership_effect_finds_none_where_the_generator_plants_none(seed):
    frames = generate_frames(3000, seed)
    s = _effect(frames, frames["engages_with"]).summary
    # Partners are chosen by popularity: the raw difference is large, the matched one is not.
    assert s["matched_ci_low_viewers"] <= 0 <= s["matched_ci_high_viewers"]
    assert s["raw_difference_viewers"] > s["matched_ci_high_viewers"]
    assert s["matched_creators"] >= 0.75 * s["partnered_creators"]


def test_partnership_effect_is_reproducible_for_a_seed():
    frames = generate_frames(1000, 0)
    first, again = _effect(frames, frames["engages_with"]), _effect(frames, frames["engages_with"])
    assert first.summary == again.summary and first.provenance.seed == 0
    with pytest.raises(ArgumentError, match="resamples"):
        partnership_effect(frames["partners_with"], _creators_as_stored(frames), frames["topics"],
                           frames["subtopic_of"], frames["engages_with"], resamples=0)


def test_results_show_viewers_only_as_counts(dataset):
    store = EmbeddedStore()
    store.load(dataset)
    viewers = store.nodes("Viewer")
    ids = set(viewers["id"])
    frames = [
        institution_reach(store.analysis_graph("reach"), store.nodes("Institution"), viewers).frame,
        interest_match(viewers, store.relationships("ENGAGES_WITH"), store.nodes("Creator"),
                       store.relationships("INTERESTED_IN"), store.nodes("Topic"),
                       store.relationships("SUBTOPIC_OF")).frame,
        co_creation(store.relationships("PARTNERS_WITH"), store.relationships("AFFILIATED_WITH"),
                    store.nodes("Creator"), store.nodes("Institution"), store.nodes("Topic"),
                    store.relationships("SUBTOPIC_OF"), store.relationships("ENGAGES_WITH")).frame,
    ]
    for frame in frames:
        shown = set(frame.select_dtypes(exclude="number").astype(str).to_numpy().ravel())
        assert not shown & ids
