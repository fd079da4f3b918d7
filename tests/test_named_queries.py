"""Every named query gives the same answer on the embedded store as on Neo4j, on the same data.

The dataset is generated (300 creators), loaded into an embedded store and into the Neo4j
test server, and given the same written-back scores on both.  Each named query runs with
several parameter sets, edge cases included (an empty topic, k = 1 and the maximum k,
limit 1 and the largest limit, ties, results with no rows); the frames must be equal
(floats within 1e-9).  A named query without an embedded implementation, or without
parameter sets here, fails.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import loaders
from graphkit import EmbeddedStore, Neo4jStore, Pseudonymiser, model, pagerank
from graphkit.cypher import load_query, query_names
from graphkit.errors import QueryError
from graphkit.stores.embedded_queries import QUERIES

KEY = b"named-queries-test-key-0123"
NAMES = query_names(public=True)
MAX_LIMIT = 1_000_000
#: Nodes added to the generated data with no relationships at all.
ISOLATED = {
    "topics": {"id": "t900", "name": "Empty topic", "level": "0"},
    "institutions": {"id": "i9000", "name": "Lonely Institute", "category": "museum"},
    "creators": {"id": "c900000", "name": "Lonely Creator"},
}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("named") / "data"
    loaders.generate(300, 5, out)
    for file, row in ISOLATED.items():  # nodes without relationships: the empty cases
        path = out / f"{file}.csv"
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        with path.open("a", encoding="utf-8") as f:
            f.write(",".join(row.get(col, "") for col in header) + "\n")
    return loaders.read_dataset(out, pseudonymise=Pseudonymiser(KEY))


@pytest.fixture(scope="module")
def scores(dataset) -> pd.DataFrame:
    """Written-back creator scores: pagerank (distinct), degree (ties, some missing), core_number (integer ties)."""
    store = EmbeddedStore()
    store.load(dataset)
    ranks = pagerank(store.analysis_graph("whole")).frame
    ranks = ranks[ranks[model.KIND] == model.CREATOR.label].sort_values(model.ID, ignore_index=True)
    degree = (np.arange(len(ranks)) % 4).astype(float)
    degree[::5] = np.nan
    return pd.DataFrame({model.KIND: model.CREATOR.label, model.ID: ranks[model.ID],
                         "pagerank": ranks["pagerank"], "degree": degree,
                         "core_number": np.arange(len(ranks), dtype=np.int64) % 3})


@pytest.fixture(scope="module")
def embedded(dataset, scores) -> EmbeddedStore:
    store = EmbeddedStore()
    store.load(dataset)
    store.write_results(scores)
    return store


@pytest.fixture(scope="module")
def neo4j(neo4j_uri, dataset, scores):
    with Neo4jStore(neo4j_uri) as store:
        store.clear()
        store.load(dataset)
        store.write_results(scores)
        yield store


@pytest.fixture(scope="module")
def cases(embedded) -> dict[str, list[dict[str, object]]]:
    """Parameter sets per named query, chosen from the data so that the edge cases are there."""
    topics = embedded.nodes("Topic")
    sub, pub = embedded.relationships("SUBTOPIC_OF"), embedded.relationships("PUBLISHES_ON")
    roots = sorted(set(topics["id"]) - set(sub["source_id"]))
    empty = sorted(set(topics["id"]) - set(sub["target_id"]) - set(pub["target_id"]))
    busiest_topic = pub["target_id"].value_counts().index[0]
    assert "t900" in empty
    topic_ids = [roots[0], busiest_topic, empty[0]]
    ties = pd.concat([embedded.relationships(t)[end] for t, end in
                      (("AFFILIATED_WITH", "target_id"), ("PARTNERS_WITH", "source_id"))]).value_counts()
    lonely = sorted(set(embedded.nodes("Institution")["id"]) - set(ties.index))
    assert "i9000" in lonely
    institutions = [ties.index[0], lonely[0]]
    collab = embedded.relationships("COLLABORATES_WITH")
    creators = [collab["source_id"].value_counts().index[0], pub["source_id"].value_counts().index[0],
                "c900000"]
    limits = [1, 5, MAX_LIMIT]
    return {
        "top_creators_in_topic": [{"topic": t, "limit": n} for t in topic_ids for n in limits],
        "top_creators_by_score": [{"topic": t, "score": s, "limit": n} for t in topic_ids
                                  for s in ("pagerank", "degree", "core_number") for n in (1, 7, MAX_LIMIT)],
        "institution_reach": [{"institution": i, "k": k} for i in institutions for k in (1, 2, 3, 6)],
        "topic_co_coverage": [{"min_videos": m, "limit": n} for m in (0, 1, 5, 10**9) for n in (1, 4, MAX_LIMIT)],
        "bridging_creators": [{"min_institutions": m, "limit": n} for m in (0, 1, 2, 10**9) for n in (1, 10, MAX_LIMIT)],
        "segment_coverage": [{"segment": s} for s in ("age_band", "region_type")],
        "neighbourhood_creator": [{"id": c} for c in creators],
        "neighbourhood_institution": [{"id": i} for i in institutions],
        "neighbourhood_topic": [{"id": t} for t in [*topic_ids, roots[-1]]],
    }


def assert_same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    got, expected = got.reset_index(drop=True), expected.reset_index(drop=True)
    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=0, atol=1e-9)


def test_every_named_query_has_an_embedded_twin():
    assert sorted(QUERIES) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_named_query_runs_on_the_embedded_store(embedded, cases, name):
    assert name in cases, f"add parameter sets for {name} to this test's cases"
    results = [embedded.query(name, **params) for params in cases[name]]
    assert any(len(r) for r in results)
    shown = {k: v for k, v in cases[name][0].items() if k != "limit"}
    assert embedded.query(name, **{k: str(v) for k, v in cases[name][0].items()}).equals(results[0]), shown


@pytest.mark.neo4j
@pytest.mark.parametrize("name", NAMES)
def test_named_query_gives_the_neo4j_answer(embedded, neo4j, cases, name):
    for params in cases[name]:
        got, expected = embedded.query(name, **params), neo4j.query(name, **params)
        try:
            assert_same(got, expected)
        except AssertionError as exc:
            raise AssertionError(f"{name} {params}: {exc}") from None


def test_the_edge_cases_are_in_the_data(embedded, cases):
    assert embedded.query("top_creators_in_topic", **cases["top_creators_in_topic"][-1]).empty  # the empty topic
    assert len(embedded.query("top_creators_in_topic", **cases["top_creators_in_topic"][2])) > 5  # a root, all rows
    assert embedded.query("topic_co_coverage", min_videos=10**9, limit=5).empty
    ranked = embedded.query("top_creators_by_score", topic=cases["top_creators_in_topic"][0]["topic"],
                            score="core_number", limit=MAX_LIMIT)
    assert ranked["score"].duplicated().any() and ranked["score"].tolist() == sorted(ranked["score"], reverse=True)


def test_institution_reach_matches_a_breadth_first_search(embedded, cases):
    hop_types = ["AFFILIATED_WITH", "PARTNERS_WITH", "COLLABORATES_WITH", "FOLLOWS", "ENGAGES_WITH"]
    view = embedded.project(relationships=hop_types).to_networkx()
    institution = cases["institution_reach"][0]["institution"]
    distances = nx.single_source_shortest_path_length(view, f"Institution:{institution}", cutoff=6)
    reach = embedded.query("institution_reach", institution=institution, k=6)
    assert reach["hop"].tolist() == [1, 2, 3, 4, 5, 6]
    for row in reach.itertuples():
        within = [n for n, d in distances.items() if d <= row.hop]
        assert row.viewers == sum(n.startswith("Viewer:") for n in within)
        assert row.creators == sum(n.startswith("Creator:") for n in within)


BAD_CALLS = [
    ("no_such_query", {}),
    ("read_viewers", {}),
    ("institution_reach", {"institution": "i0001"}),
    ("institution_reach", {"institution": "i0001", "k": "x"}),
    ("institution_reach", {"institution": "i0001", "k": 7}),
    ("institution_reach", {"institution": "i9999", "k": 2}),
    ("top_creators_in_topic", {"topic": "t999", "limit": 5}),
    ("top_creators_in_topic", {"topic": "t001", "limit": 0}),
    ("top_creators_in_topic", {"topic": "t001", "limit": 5, "extra": 1}),
    ("top_creators_by_score", {"topic": "t001", "score": "hub", "limit": 5}),
    ("top_creators_by_score", {"topic": "t999", "score": "hub", "limit": 5}),
    ("top_creators_by_score", {"topic": "t001", "score": "name", "limit": 5}),
    ("segment_coverage", {"segment": "id"}),
    ("neighbourhood_creator", {"id": "nobody"}),
    ("neighbourhood_institution", {"id": ""}),
    ("neighbourhood_topic", {"id": 12}),
]


@pytest.mark.parametrize("name, params", BAD_CALLS)
def test_a_wrong_call_is_refused_in_one_line(embedded, name, params):
    with pytest.raises(QueryError) as refused:
        embedded.query(name, **params)
    assert "\n" not in str(refused.value)


@pytest.mark.neo4j
def test_a_wrong_call_reads_the_same_on_both_stores(embedded, neo4j):
    for name, params in BAD_CALLS:
        messages = []
        for store in (embedded, neo4j):
            with pytest.raises(QueryError) as refused:
                store.query(name, **params)
            messages.append(str(refused.value))
        assert messages[0] == messages[1], (name, params)


def test_the_cases_cover_every_declared_parameter(cases):
    for name in NAMES:
        assert all(set(p) == set(load_query(name).params) for p in cases[name]), name


def test_a_write_after_a_query_shows_in_the_next_query(valid_dataset, pseudonymiser):
    store = EmbeddedStore()
    store.load(loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser))
    before = store.query("neighbourhood_institution", id="i1")
    assert before[["relationship", "neighbours"]].values.tolist() == [["AFFILIATED_WITH", 1], ["PARTNERS_WITH", 1]]
    store.upsert_relationships("AFFILIATED_WITH", pd.DataFrame({"source_id": ["c2"], "target_id": ["i1"], "role": [None]}))
    after = store.query("neighbourhood_institution", id="i1")
    assert after[["relationship", "neighbours", "examples"]].values.tolist()[0] == ["AFFILIATED_WITH", 2, ["c1", "c2"]]
