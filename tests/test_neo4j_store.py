"""What only the Neo4j store does, on a real server (scripts/test starts it): the same answers as
the embedded store, hostile strings, refused input and binds leaving the server as it was, write-back
through the CLI, the named queries, secrets, and racing loads.  The behaviours every store shares are
in tests/test_store_contract.py."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import loaders
from graphkit import (
    EmbeddedStore,
    Neo4jStore,
    Pseudonymiser,
    QueryError,
    StoreError,
    components,
    louvain,
    pagerank,
)
from graphkit.cypher import load_query
from tests.conftest import VALID, graphkit_cli, write_dataset

pytestmark = pytest.mark.neo4j
KEY = b"neo4j-test-key-0123456789"


@pytest.fixture(scope="module")
def small_generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "d"
    loaders.generate(200, 3, out)
    return out


def _load(store, folder):
    pseudonymiser = Pseudonymiser(KEY)
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser)
    store.load(data.nodes, data.relationships, key_fingerprint=pseudonymiser.fingerprint)
    return data


def test_embedded_and_neo4j_give_the_same_counts_and_results(neo4j_store, small_generated):
    _load(neo4j_store, small_generated)
    embedded = EmbeddedStore()
    _load(embedded, small_generated)
    assert neo4j_store.counts() == embedded.counts()
    g_neo, g_emb = (s.analysis_graph("whole") for s in (neo4j_store, embedded))
    assert (g_neo.ids == g_emb.ids).all() and (g_neo.kinds == g_emb.kinds).all()
    pd.testing.assert_frame_equal(louvain(g_neo, seed=0).frame, louvain(g_emb, seed=0).frame)
    pd.testing.assert_frame_equal(components(g_neo).frame, components(g_emb).frame)
    a, b = pagerank(g_neo).frame, pagerank(g_emb).frame
    assert a[["kind", "id"]].equals(b[["kind", "id"]])
    np.testing.assert_allclose(a["pagerank"], b["pagerank"], rtol=0, atol=1e-9)
    for label in ("Creator", "Topic", "Institution"):
        ours = embedded.nodes(label)
        pd.testing.assert_frame_equal(_plain(neo4j_store.nodes(label)[list(ours.columns)]), _plain(ours))


def test_counts_are_read_from_the_count_store_not_by_a_scan(neo4j_store, small_generated):
    data = _load(neo4j_store, small_generated)
    with neo4j_store._session(read=True) as session:
        plan = session.run("EXPLAIN " + load_query("count_kinds").text).consume().plan

    def operators(step) -> set[str]:
        return {step["operatorType"].split("@")[0]}.union(*(operators(c) for c in step.get("children", [])))

    ops = operators(plan)
    assert {"NodeCountFromCountStore", "RelationshipCountFromCountStore"} <= ops
    assert not {op for op in ops if "Scan" in op or "Aggregation" in op}, ops
    assert neo4j_store.counts() == data.counts()


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Values compared as Python objects, every kind of missing as None."""
    return frame.astype(object).where(frame.notna(), None)


HOSTILE = ["'}) DETACH DELETE n //", "`; MATCH (n) DETACH DELETE n", 'a"b\\c', "RETURN 1 UNION MATCH (x) DELETE x",
           "名字 ${injection}"]


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_hostile_strings_in_every_field_are_stored_as_plain_data(neo4j_store, tmp_path):
    n = len(HOSTILE)
    cell = [_csv_cell(h) for h in HOSTILE]
    files = {
        "creators.csv": "id,name,followers,joined,region,income_streams\n"
        + "".join(f"{cell[i]},{cell[(i + 1) % n]},1,,{cell[(i + 2) % n]},\n" for i in range(n)),
        "topics.csv": "id,name,level\n" + "".join(f"{cell[i]},{cell[(i + 3) % n]},1\n" for i in range(n)),
        "institutions.csv": "id,name,kind\n" + "".join(f"{cell[i]},{cell[i]},university\n" for i in range(n)),
        "viewers.csv": "id,age_band,region_type\n" + "".join(f"{cell[i]},25_34,urban\n" for i in range(n)),
        "publishes_on.csv": "source_id,target_id,videos,views\n" + "".join(f"{cell[i]},{cell[i]},1,2\n" for i in range(n)),
        "affiliated_with.csv": "source_id,target_id,role\n" + "".join(f"{cell[i]},{cell[i]},{cell[i]}\n" for i in range(n)),
        "follows.csv": "source_id,target_id\n" + "".join(f"{cell[i]},{cell[i]}\n" for i in range(n)),
    }
    _load(neo4j_store, write_dataset(tmp_path / "h", files))
    counts = neo4j_store.counts()
    assert [counts[k] for k in ("Creator", "Topic", "Institution", "Viewer")] == [n] * 4
    assert [counts[k] for k in ("PUBLISHES_ON", "AFFILIATED_WITH", "FOLLOWS")] == [n] * 3
    creators = neo4j_store.nodes("Creator").set_index("id")
    assert sorted(creators.index) == sorted(HOSTILE)
    assert [creators.loc[h, "name"] for h in HOSTILE] == [HOSTILE[(i + 1) % n] for i in range(n)]
    assert sorted(neo4j_store.relationships("AFFILIATED_WITH")["role"]) == sorted(HOSTILE)
    for hostile in HOSTILE:
        top = neo4j_store.query("top_creators_in_topic", topic=hostile, limit=5)
        assert top["id"].tolist() == [hostile]
        neo4j_store.query("neighbourhood_creator", id=hostile)
    assert neo4j_store.counts() == counts


def _everything(store) -> tuple:
    """All nodes (any label), relationships and constraints: what a refused load must not change."""
    with store._session() as session:
        nodes = session.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        rels = session.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"]
        constraints = sorted(r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name"))
    return nodes, rels, constraints


def _drop_constraints(store) -> None:
    with store._session() as session:
        for name in [r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")]:
            session.run(f"DROP CONSTRAINT `{name}`").consume()


@pytest.mark.slow
def test_bad_input_never_reaches_the_server(neo4j_store, neo4j_uri, valid_dataset, tmp_path):
    _drop_constraints(neo4j_store)
    assert _everything(neo4j_store) == (0, 0, [])
    bad = write_dataset(tmp_path / "bad", {**VALID, "follows.csv": "source_id,target_id\nraw-viewer-1,c404\n"})
    proc = graphkit_cli("load", str(bad), "--neo4j", neo4j_uri, env={"GRAPHKIT_PSEUDONYM_KEY": KEY.decode()})
    assert proc.returncode == 1 and "follows.csv, line 2, column target_id" in proc.stderr
    for command in (["info"], ["query", "segment_coverage", "--param", "segment=age_band"]):
        assert graphkit_cli(*command, "--neo4j", neo4j_uri).returncode == 0
    unknown = graphkit_cli("query", "neighbourhood_topic", "--param", "id=t1", "--neo4j", neo4j_uri)
    assert unknown.returncode == 1 and "no Topic with id 't1'" in unknown.stderr
    assert _everything(neo4j_store) == (0, 0, [])
    _load(neo4j_store, valid_dataset)
    before = _everything(neo4j_store)
    assert graphkit_cli("load", str(bad), "--neo4j", neo4j_uri, env={"GRAPHKIT_PSEUDONYM_KEY": KEY.decode()}).returncode == 1
    assert _everything(neo4j_store) == before


@pytest.mark.slow
def test_write_back_lets_queries_rank_by_a_score(neo4j_store, neo4j_uri, small_generated):
    proc = graphkit_cli("load", str(small_generated), "--neo4j", neo4j_uri, env={"GRAPHKIT_PSEUDONYM_KEY": KEY.decode()})
    assert proc.returncode == 0, proc.stderr
    proc = graphkit_cli("analyze", "--neo4j", neo4j_uri, "--write", "--out", str(small_generated.parent / "a"))
    assert proc.returncode == 0, proc.stderr
    creators = neo4j_store.nodes("Creator")
    assert creators["pagerank"].notna().all() and creators["community"].notna().all()
    topic = creators["primary_topic"].dropna().iloc[0]
    ranked = neo4j_store.query("top_creators_by_score", topic=topic, score="pagerank", limit=5)
    assert ranked["score"].is_monotonic_decreasing and len(ranked) == 5
    out = small_generated.parent / "report"
    proc = graphkit_cli("report", "--neo4j", neo4j_uri, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Louvain found" in (out / "report.html").read_text()


def test_institution_reach_matches_a_breadth_first_search(neo4j_store, small_generated):
    _load(neo4j_store, small_generated)
    hop_types = ["AFFILIATED_WITH", "PARTNERS_WITH", "COLLABORATES_WITH", "FOLLOWS", "ENGAGES_WITH"]
    embedded = EmbeddedStore()
    _load(embedded, small_generated)
    view = embedded.project(relationships=hop_types).to_networkx()
    institution = embedded.nodes("Institution")["id"].iloc[0]
    distances = nx.single_source_shortest_path_length(view, f"Institution:{institution}", cutoff=6)
    reach = neo4j_store.query("institution_reach", institution=institution, k="6")
    for row in reach.itertuples():
        within = [n for n, d in distances.items() if d <= row.hop]
        assert row.viewers == sum(n.startswith("Viewer:") for n in within)
        assert row.creators == sum(n.startswith("Creator:") for n in within)


def test_top_creators_in_topic_matches_the_frames(neo4j_store, valid_dataset):
    _load(neo4j_store, valid_dataset)
    top = neo4j_store.query("top_creators_in_topic", topic="t0", limit="10")  # t1 is a subtopic of t0
    assert top[["id", "views", "videos"]].values.tolist() == [["c1", 50000, 12], ["c2", 0, 0]]


@pytest.mark.parametrize("name, params", [
    ("topic_co_coverage", {"min_videos": "1", "limit": "5"}),
    ("bridging_creators", {"min_institutions": "1", "limit": "5"}),
    ("segment_coverage", {"segment": "age_band"}),
    ("neighbourhood_creator", {"id": "c000001"}),
    ("neighbourhood_institution", {"id": "i0001"}),
    ("neighbourhood_topic", {"id": "t002"}),
])
def test_named_queries_never_show_a_viewer_id(neo4j_store, small_generated, name, params):
    data = _load(neo4j_store, small_generated)
    result = neo4j_store.query(name, **params)
    assert not result.empty
    text = result.to_json()
    raw_ids = pd.read_csv(small_generated / "viewers.csv")["id"]
    for viewer_id in (*data.nodes["Viewer"]["id"], *raw_ids):
        assert viewer_id not in text


def test_only_named_queries_run_and_their_parameters_are_checked(neo4j_store):
    for internal in ("read_viewers", "project_follows", "delete_nodes", "merge_creators"):
        with pytest.raises(QueryError, match="not a named query"):
            neo4j_store.query(internal)
    with pytest.raises(QueryError, match="must be one of age_band, region_type, got 'id'"):
        neo4j_store.query("segment_coverage", segment="id")
    with pytest.raises(QueryError, match="must be one of component, community, pagerank"):
        neo4j_store.query("top_creators_by_score", topic="t1", score="name", limit=3)
    with pytest.raises(QueryError, match="must be between"):
        neo4j_store.query("top_creators_in_topic", topic="t1", limit="99999999999999999999999")
    with pytest.raises(QueryError, match="must be between 1 and 6"):
        neo4j_store.query("institution_reach", institution="i1", k="9")
    with pytest.raises(QueryError, match="missing: limit"):
        neo4j_store.query("top_creators_in_topic", topic="t1")
    with pytest.raises(QueryError, match="must be integer"):
        neo4j_store.query("top_creators_in_topic", topic="t1", limit="ten")


def test_cli_query_formats(neo4j_store, neo4j_uri, valid_dataset):
    _load(neo4j_store, valid_dataset)
    csv = graphkit_cli("query", "top_creators_in_topic", "--param", "topic=t1", "--param", "limit=5",
                       "--neo4j", neo4j_uri, "--format", "csv", check=True)
    assert csv.stdout.splitlines()[0] == "id,name,views,videos,followers"
    js = graphkit_cli("query", "neighbourhood_topic", "--param", "id=t1", "--neo4j", neo4j_uri, "--format", "json",
                      check=True)
    assert '"relationship"' in js.stdout


def test_the_password_appears_in_no_log_message_or_output(neo4j_uri, valid_dataset, tmp_path, caplog):
    password = os.environ["NEO4J_PASSWORD"]
    caplog.set_level(logging.DEBUG, logger="neo4j")
    with Neo4jStore(neo4j_uri) as s:
        s.clear()
        _load(s, valid_dataset)
    with pytest.raises(StoreError) as wrong:
        Neo4jStore(neo4j_uri, password=password + "-wrong")
    with_credentials = neo4j_uri.replace("://", f"://neo4j:{password}@")
    runs = [graphkit_cli("info", "--neo4j", neo4j_uri),
            graphkit_cli("info", "--neo4j", neo4j_uri, env={"NEO4J_PASSWORD": "nope-" + password}),
            graphkit_cli("info", "--neo4j", with_credentials),
            graphkit_cli("info", "--neo4j", "bolt://127.0.0.1:1"),
            graphkit_cli("info", "--neo4j", "http://127.0.0.1:1")]
    assert runs[0].returncode == 0 and runs[1].returncode == 1 and "refused the credentials" in runs[1].stderr
    assert "not in the URI" in runs[2].stderr and "cannot reach Neo4j" in runs[3].stderr
    assert "not a Neo4j Bolt URI" in runs[4].stderr
    assert all(r.returncode == 1 and "Traceback" not in r.stderr for r in runs[1:])
    texts = [caplog.text, str(wrong.value)] + [r.stdout + r.stderr for r in runs]
    run_dir = os.environ.get("GRAPHKIT_NEO4J_RUN")
    if run_dir:
        texts += [p.read_text(errors="replace") for p in Path(run_dir).glob("*.log")]
    for text in texts:
        assert password not in text


def test_two_loads_with_different_keys_racing_into_an_empty_database(neo4j_store, neo4j_uri, valid_dataset):
    """The key check and the key write are one step: of two loads started at once, one binds
    its key and loads; the other is refused before it writes a viewer."""
    keys = [Pseudonymiser(b"race-key-one-0123456789"), Pseudonymiser(b"race-key-two-0123456789")]
    data = [loaders.read_dataset(valid_dataset, pseudonymise=p) for p in keys]
    for _ in range(3):
        neo4j_store.clear()
        _drop_constraints(neo4j_store)
        barrier = threading.Barrier(2)
        outcomes: list = [None, None]

        def load(i: int, barrier: threading.Barrier, outcomes: list) -> None:
            with Neo4jStore(neo4j_uri) as own:
                barrier.wait()
                try:
                    own.load(data[i].nodes, data[i].relationships, key_fingerprint=keys[i].fingerprint)
                    outcomes[i] = "loaded"
                except StoreError as exc:
                    outcomes[i] = exc

        threads = [threading.Thread(target=load, args=(i, barrier, outcomes)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert outcomes.count("loaded") == 1, outcomes
        winner = outcomes.index("loaded")
        assert "different pseudonym key" in str(outcomes[1 - winner])
        assert sorted(neo4j_store.nodes("Viewer")["id"]) == sorted(data[winner].nodes["Viewer"]["id"])
        assert neo4j_store.counts()["FOLLOWS"] == len(data[winner].relationships["FOLLOWS"])
        neo4j_store.check_key(keys[winner].fingerprint)
        with pytest.raises(StoreError, match="different pseudonym key"):
            neo4j_store.check_key(keys[1 - winner].fingerprint)


def test_a_refused_bind_changes_nothing(neo4j_store, valid_dataset):
    _load(neo4j_store, valid_dataset)
    before = _everything(neo4j_store)
    with pytest.raises(StoreError, match="different pseudonym key"):
        neo4j_store.bind_key(Pseudonymiser(b"another-key-0123456789").fingerprint)
    assert _everything(neo4j_store) == before


@pytest.mark.parametrize("name, params, message", [
    ("neighbourhood_creator", {"id": "c9999"}, "no Creator with id 'c9999'"),
    ("neighbourhood_institution", {"id": "c1"}, "no Institution with id 'c1'"),
    ("neighbourhood_topic", {"id": "t9"}, "no Topic with id 't9'"),
    ("institution_reach", {"institution": "i9999", "k": "2"}, "no Institution with id 'i9999'"),
    ("top_creators_in_topic", {"topic": "t404", "limit": "3"}, "no Topic with id 't404'"),
    ("top_creators_by_score", {"topic": "t404", "score": "pagerank", "limit": "3"}, "no Topic with id 't404'"),
    ("top_creators_by_score", {"topic": "t1", "score": "pagerank", "limit": "3"},
     "no pagerank scores were written yet; run graphkit analyze --write first"),
])
def test_an_unknown_id_or_an_unwritten_score_is_an_error_naming_it(neo4j_store, valid_dataset, name, params, message):
    _load(neo4j_store, valid_dataset)
    with pytest.raises(QueryError) as err:
        neo4j_store.query(name, **params)
    assert str(err.value) == message


def test_cli_names_an_unknown_id_and_the_written_score_ranks(neo4j_store, neo4j_uri, valid_dataset):
    _load(neo4j_store, valid_dataset)
    proc = graphkit_cli("query", "neighbourhood_creator", "--param", "id=c9999", "--neo4j", neo4j_uri)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", "graphkit: error: no Creator with id 'c9999'\n")
    scores = pd.DataFrame({"kind": ["Creator", "Creator"], "id": ["c1", "c2"], "pagerank": [0.2, 0.7]})
    neo4j_store.write_results(scores)
    ranked = neo4j_store.query("top_creators_by_score", topic="t0", score="pagerank", limit=5)
    assert ranked["id"].tolist() == ["c2", "c1"]
    with pytest.raises(QueryError, match="no community scores were written yet"):
        neo4j_store.query("top_creators_by_score", topic="t0", score="community", limit=5)
