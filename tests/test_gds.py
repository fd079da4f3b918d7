"""engine="gds" against graphkit's own engines on the same analysis graphs, in a Neo4j server
with Graph Data Science: a generated dataset (undirected and directed graphs), LFR graphs with
the analysis tests' parameters, exact betweenness on a small graph; the Result's provenance;
write-back in the server; catalogue hygiene; memory refusals; and the message of a server
without GDS (a second, plain server: GRAPHKIT_TEST_NEO4J_PLAIN_URI)."""

from __future__ import annotations

import dataclasses
import os

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from neo4j import GraphDatabase

import graphkit
import loaders
from graphkit import AnalysisError, ArgumentError, Neo4jStore, model
from graphkit.analysis import gds
from graphkit.analysis._dispatch import ENGINES
from tests.conftest import graphkit_cli

pytestmark = pytest.mark.neo4j

KEY = graphkit.Pseudonymiser(b"gds-test-key-0123456789")
LFR = dict(tau1=3, tau2=1.5, mu=0.2, average_degree=15, max_degree=200, min_community=20, max_community=1000)
LFR_N = 10_000


def _matched(graph: graphkit.Graph) -> float:
    """graphkit's PageRank tolerance matching GDS's default one here (1e-10 on each score): graphkit
    stops when the L1 change is below n * tol (networkx's rule), so a bound of 1e-9 in all."""
    return 1e-9 / graph.number_of_nodes()


def _catalogue(store: Neo4jStore) -> set[str]:
    password = os.environ["NEO4J_PASSWORD"]
    with GraphDatabase.driver(os.environ["GRAPHKIT_TEST_NEO4J_URI"], auth=("neo4j", password)) as driver:
        records, _, _ = driver.execute_query("CALL gds.graph.list() YIELD graphName RETURN graphName")
    return {r["graphName"] for r in records}


@pytest.fixture(scope="module")
def server(neo4j_uri) -> Neo4jStore:
    with Neo4jStore(neo4j_uri) as store:
        if not gds._run(store, "gds_available", {})[0]["found"]:
            if os.environ.get("GRAPHKIT_REQUIRE_NEO4J"):
                pytest.fail("the test server has no GDS: scripts/test starts it with GRAPHKIT_NEO4J_PLUGINS=gds,apoc")
            pytest.skip("the test server has no GDS (GRAPHKIT_NEO4J_PLUGINS=gds,apoc scripts/neo4j start)")
        yield store


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory) -> Neo4jStore:
    """A generated dataset (scale 200, seed 7: about 2,300 nodes and 20,000 relationships)."""
    folder = tmp_path_factory.mktemp("gds") / "dataset"
    loaders.generate(200, 7, folder)
    server.clear()
    server.load(loaders.read_dataset(folder, pseudonymise=KEY))
    return server


def _by_node(result: graphkit.Result, column: str) -> pd.Series:
    frame = result.frame
    return pd.Series(frame[column].to_numpy(), index=frame["kind"] + ":" + frame["id"].astype(str)).sort_index()


def _same_frames(found: graphkit.Result, expected: graphkit.Result) -> None:
    pd.testing.assert_frame_equal(found.frame, expected.frame, check_dtype=False)


@pytest.mark.parametrize("name", ["whole", "audience"])
def test_gds_equals_graphkit_on_the_generated_dataset(generated, name):
    client = generated.analysis_graph(name)
    with gds.project(generated, name) as g:
        assert (g.number_of_nodes(), g.number_of_edges()) == (client.number_of_nodes(), len(client.merged_edges()[0]))
        for measure in ("components", "core_number"):
            found = getattr(graphkit, measure)(g, engine="gds")
            expected = getattr(graphkit, measure)(client, engine="fast")
            _same_frames(found, expected)
            assert found.summary == expected.summary
        found, expected = graphkit.pagerank(g, engine="gds"), graphkit.pagerank(client, tol=_matched(client), engine="fast")
        top = expected.frame["pagerank"].max()
        assert np.abs(_by_node(found, "pagerank") - _by_node(expected, "pagerank")).max() <= 1e-6 * top
        assert found.frame["pagerank"].sum() == pytest.approx(1.0, abs=1e-9)
        found, expected = graphkit.degree(g, weight="weight", engine="gds"), graphkit.degree(client, weight="weight")
        assert list(found.frame.columns) == list(expected.frame.columns)
        for column in found.frame.columns.drop(["kind", "id", "name"], errors="ignore"):
            np.testing.assert_allclose(_by_node(found, column), _by_node(expected, column), rtol=1e-9)


def _louvain_parity(g: gds.GdsGraph, client: graphkit.Graph) -> dict[str, float]:
    found = graphkit.louvain(g, engine="gds")
    reference = graphkit.louvain(client, engine="reference", seed=0)
    fast = graphkit.louvain(client, engine="fast", seed=0)
    q = found.summary["modularity"]
    # GDS's own modularity is that of its partition, as graphkit computes it.
    assert q == pytest.approx(graphkit.modularity(client, found), abs=1e-6)
    assert q >= reference.summary["modularity"] - 0.005
    assert q >= fast.summary["modularity"] - 0.03  # GDS's Louvain does not refine
    a, b = _by_node(found, "community"), _by_node(fast, "community")
    return {"gds": q, "networkx": reference.summary["modularity"], "fast": fast.summary["modularity"],
            "nmi_gds_fast": graphkit.nmi(a.to_numpy(), b.to_numpy())}


def test_gds_louvain_is_as_modular_as_networkx_on_the_generated_dataset(generated):
    with gds.project(generated, "whole") as g:
        found = _louvain_parity(g, generated.analysis_graph("whole"))
    print("louvain on the generated dataset:", found)
    assert found["nmi_gds_fast"] > 0.5


def test_exact_betweenness_equals_graphkits(generated):
    client = generated.analysis_graph("knowledge")
    with gds.project(generated, "knowledge") as g:
        found = graphkit.betweenness(g, engine="gds")
    expected = graphkit.betweenness(client, engine="fast")
    np.testing.assert_allclose(_by_node(found, "betweenness"), _by_node(expected, "betweenness"), rtol=1e-9,
                               atol=1e-12)
    assert found.summary == pytest.approx(expected.summary, rel=1e-9)


def test_sampled_betweenness_estimates_the_exact_one(generated):
    client = generated.analysis_graph("knowledge")
    exact = _by_node(graphkit.betweenness(client, engine="fast"), "betweenness")
    with gds.project(generated, "knowledge") as g:
        sampled = graphkit.betweenness(g, k=client.number_of_nodes() // 2, seed=1, engine="gds")
    assert "GDS sampled its own" in "; ".join(sampled.provenance.conversions)
    assert np.corrcoef(_by_node(sampled, "betweenness"), exact)[0, 1] > 0.9


def test_personalised_pagerank_restarts_at_the_institutions(generated):
    client = generated.analysis_graph("whole")
    institutions = [k for k in client.keys if k.startswith("Institution:")]
    with gds.project(generated, "whole") as g:
        found = graphkit.pagerank(g, personalization=institutions, engine="gds")
        with pytest.raises(ArgumentError, match="restarts at its source nodes with equal weight"):
            graphkit.pagerank(g, personalization={institutions[0]: 1, institutions[1]: 2}, engine="gds")
    expected = graphkit.pagerank(client, personalization=institutions, tol=_matched(client), engine="fast")
    top = expected.frame["pagerank"].max()
    assert np.abs(_by_node(found, "pagerank") - _by_node(expected, "pagerank")).max() <= 1e-6 * top


def test_the_result_says_engine_gds_version_and_projection(generated):
    with gds.project(generated, "audience") as g:
        result = graphkit.louvain(g, engine="gds")
        name = g.name
    p = result.provenance
    assert (p.parameters["engine"], p.engine, p.versions["neo4j-gds"]) == ("gds", "gds", g.version)
    assert g.version.startswith("2.")
    assert p.graph == model.analysis_graph("audience").describe()
    assert any(name in c and "gds.graph.project" in c for c in p.conversions)
    assert "directed graph made undirected, weights of reciprocal edges summed" in p.conversions
    assert any("no random seed" in c for c in p.conversions)


def test_analyze_on_gds_has_every_step_and_writes_back_what_the_results_hold(generated):
    with gds.project(generated, "whole") as g:
        analysis = graphkit.analyze(g, engine="gds")
        assert gds.write_back(g) == g.number_of_nodes()
    nodes = analysis.nodes()
    assert list(analysis.results) == ["components", "louvain", "pagerank", "degree", "kcore", "betweenness"]
    # What the store holds now, as its own projection reads it back (written properties are attributes).
    read = generated.analysis_graph("whole")
    stored = read.attributes.assign(kind=read.kinds, id=read.ids).merge(nodes, on=["kind", "id"],
                                                                          suffixes=("_stored", ""))
    assert len(stored) == len(nodes) == read.number_of_nodes()
    for column in ("component", "community", "core_number"):
        assert (stored[f"{column}_stored"].astype(int) == stored[column].astype(int)).all(), column
    for column in ("pagerank", "degree", "betweenness"):
        np.testing.assert_allclose(stored[f"{column}_stored"].astype(float), stored[column], rtol=1e-12)


def test_projections_are_dropped_after_their_block_also_on_error_and_names_never_collide(generated):
    before = _catalogue(generated)
    with gds.project(generated, "knowledge") as a, gds.project(generated, "knowledge") as b:
        assert a.name != b.name and {a.name, b.name} <= _catalogue(generated)
        assert "gds" in ENGINES
    assert _catalogue(generated) == before and "gds" not in ENGINES  # offered only while one is open
    with pytest.raises(RuntimeError, match="mid-run"):
        with gds.project(generated, "knowledge") as c:
            raise RuntimeError("failed mid-run")
    assert c.name not in _catalogue(generated) and not c.is_open()
    with gds.project(generated, "knowledge"), pytest.raises(AnalysisError, match="was dropped; project the graph"):
        graphkit.pagerank(c, engine="gds")


def test_a_step_over_the_memory_budget_is_refused_with_the_estimate(generated):
    with pytest.raises(AnalysisError, match=r"GDS estimates the projection of the 'whole' graph needs .* MB\), more "
                                            r"than the 0 MB this server allows .*GRAPHKIT_NEO4J_HEAP"):
        gds.project(generated, "whole", budget=1000)
    with gds.project(generated, "knowledge") as g:
        small = dataclasses.replace(g, budget=1000)
        with pytest.raises(AnalysisError, match="GDS estimates pagerank on .* needs"):
            graphkit.pagerank(small, engine="gds")


def test_what_gds_cannot_do_as_graphkit_does_is_refused_with_the_reason(generated):
    with gds.project(generated, "audience") as g:
        with pytest.raises(ArgumentError, match="GDS's Louvain has no resolution"):
            graphkit.louvain(g, resolution=2.0, engine="gds")
        with pytest.raises(ArgumentError, match="k-core needs an undirected graph"):
            graphkit.core_number(g, mode="in+out", engine="gds")
        with pytest.raises(ArgumentError, match="no subset betweenness"):
            graphkit.betweenness(g, sources=list(g.keys[:2]), engine="gds")
        with pytest.raises(AnalysisError, match="its edges in the server: run its measures with engine='gds'"):
            graphkit.pagerank(g, engine="fast")
        with pytest.raises(ArgumentError, match="engine='gds' runs on a projection in Neo4j's GDS catalogue"):
            graphkit.pagerank(nx.path_graph(3), engine="gds")
    with pytest.raises(ArgumentError, match="engine must be one of 'auto', 'fast', 'reference'"):
        graphkit.pagerank(nx.path_graph(3), engine="gds")  # no projection open: not offered


def test_analyze_store_and_the_cli_run_on_gds(generated, tmp_path):
    analysis = graphkit.analyze_store(generated, graph="collaboration", engine="gds", write=True)
    assert analysis.results["pagerank"].provenance.parameters["engine"] == "gds"
    proc = graphkit_cli("analyze", "--neo4j", os.environ["GRAPHKIT_TEST_NEO4J_URI"], "--engine", "gds",
                        "--graph", "audience", "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "louvain.modularity" in proc.stdout and (tmp_path / "out" / "nodes.csv").exists()
    assert not {n for n in _catalogue(generated) if n.startswith("graphkit_")}


@pytest.fixture(scope="module")
def lfr(server) -> tuple[Neo4jStore, list[int]]:
    """An LFR graph (the analysis tests' parameters) as creators who collaborate (unit weights)."""
    for seed in range(1, 11):
        try:
            G = nx.LFR_benchmark_graph(LFR_N, seed=seed, **LFR)
            break
        except nx.ExceededMaxIterations:
            continue
    groups: dict = {}
    planted = [groups.setdefault(frozenset(G.nodes[v]["community"]), len(groups)) for v in range(LFR_N)]
    server.clear()
    ids = [f"c{v:05d}" for v in range(LFR_N)]
    server.upsert_nodes("Creator", pd.DataFrame({"id": ids, "name": ids}))
    edges = np.array([(u, v) for u, v in G.edges() if u != v])
    server.upsert_relationships("COLLABORATES_WITH", pd.DataFrame({
        "source_id": [ids[u] for u in edges[:, 0]], "target_id": [ids[v] for v in edges[:, 1]], "videos": 1}))
    return server, planted


def test_gds_equals_graphkit_on_lfr(lfr):
    store, planted = lfr
    client = store.analysis_graph("collaboration")
    with gds.project(store, "collaboration") as g:
        for measure in ("components", "core_number"):
            _same_frames(getattr(graphkit, measure)(g, engine="gds"), getattr(graphkit, measure)(client, engine="fast"))
        found, expected = graphkit.pagerank(g, engine="gds"), graphkit.pagerank(client, tol=_matched(client), engine="fast")
        top = expected.frame["pagerank"].max()
        assert np.abs(_by_node(found, "pagerank") - _by_node(expected, "pagerank")).max() <= 1e-6 * top
        quality = _louvain_parity(g, client)
        communities = _by_node(graphkit.louvain(g, engine="gds"), "community")
    truth = pd.Series(planted, index=[f"Creator:c{v:05d}" for v in range(LFR_N)]).sort_index()
    quality["nmi_gds_planted"] = graphkit.nmi(communities.to_numpy(), truth.loc[communities.index].to_numpy())
    print("louvain on LFR:", quality)
    assert quality["nmi_gds_planted"] > 0.9


def test_a_server_without_gds_says_how_to_enable_it():
    uri = os.environ.get("GRAPHKIT_TEST_NEO4J_PLAIN_URI")
    if not uri:
        if os.environ.get("GRAPHKIT_REQUIRE_NEO4J"):
            pytest.fail("no plain server (GRAPHKIT_TEST_NEO4J_PLAIN_URI): scripts/test starts one")
        pytest.skip("no plain Neo4j server (GRAPHKIT_TEST_NEO4J_PLAIN_URI)")
    with Neo4jStore(uri, password=os.environ.get("GRAPHKIT_TEST_NEO4J_PLAIN_PASSWORD")) as store:
        with pytest.raises(AnalysisError) as error:
            gds.project(store, "whole")
    message = str(error.value)
    assert message.startswith(f"the Neo4j server at {store.uri} has no Graph Data Science plugin")
    assert "GRAPHKIT_NEO4J_PLUGINS=gds,apoc" in message and "docs/neo4j-server.md" in message
    assert "\n" not in message
