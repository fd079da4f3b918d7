"""Notebook and console views: each says what the object is, its size, a head and its summary,
stays short however large the object, escapes HTML and shows no viewer id."""

from __future__ import annotations

import html

import neo4j
import numpy as np
import pandas as pd
import pytest

import graphkit
import loaders
from graphkit import EmbeddedStore, Graph, Neo4jStore, Provenance, Result
from tests.conftest import RAW_VIEWER_IDS


@pytest.fixture
def data(valid_dataset, pseudonymiser):
    return loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)


@pytest.fixture
def loaded(store, data):
    store.load(data)
    return store


def _views(obj) -> list[str]:
    """The plain view and the HTML one, unescaped so that both read the same."""
    return [repr(obj), html.unescape(obj._repr_html_())]


def _no_viewer_ids(text: str, pseudonymiser) -> None:
    for raw in RAW_VIEWER_IDS:
        assert raw not in text and pseudonymiser.one(raw) not in text


def test_a_million_row_result_shows_five_rows_and_its_facts():
    n = 1_000_000
    frame = pd.DataFrame({"kind": np.full(n, "Creator", dtype=object), "id": [f"c{i}" for i in range(n)],
                          "pagerank": np.linspace(1, 0, n)})
    result = Result(frame, Provenance("pagerank", {"alpha": 0.85}, "networkx", graph={"name": "audience"}),
                    {"nodes": n, "top_share": 0.125})
    text, page = _views(result)
    assert len(text) < 1500 and len(page) < 4000
    for fact in ("pagerank", "networkx", "'audience' analysis graph", "1,000,000 rows", "top_share=0.125",
                 "first 5 of 1,000,000 rows"):
        assert fact in text, fact
    assert "c4" in text and "c5" not in text  # the head: rows 0 to 4
    assert page.count("<tr") == 1 + 5 + 2  # frame header, five rows, the two summary rows
    assert "top_share" in page and "'audience' analysis graph" in page


def test_a_result_of_many_summary_entries_and_columns_stays_short():
    frame = pd.DataFrame({f"col{i}": range(3) for i in range(60)})
    result = Result(frame, Provenance("wide", {f"p{i}": "x" * 500 for i in range(50)}, "pandas"),
                    {f"s{i}": "y" * 500 for i in range(50)})
    text, page = _views(result)
    assert len(text) < 2500 and len(page) < 8000
    assert "and 38 more" in text


def test_html_views_escape_names():
    frame = pd.DataFrame({"kind": ["Creator"], "id": ["c1"], "name": ["<script>alert(1)</script>"]})
    result = Result(frame, Provenance("demo<b>", {}, "pandas"), {"note": "<i>"})
    page = result._repr_html_()
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;" in page


def test_result_and_analysis_views_show_no_viewer_id(loaded, pseudonymiser):
    graph = loaded.analysis_graph("audience")
    result = graphkit.pagerank(graph)
    assert (result.frame["kind"] == "Viewer").any()  # the frame itself holds pseudonyms ...
    for text in _views(result):
        _no_viewer_ids(text, pseudonymiser)  # ... its views do not
        assert "(pseudonym)" in text
    analysis = graphkit.analyze(graph)
    for text in _views(analysis):
        _no_viewer_ids(text, pseudonymiser)
        for step in analysis.results:
            assert step in text
        assert "'audience' analysis graph" in text and len(text) < 3000


def test_viewer_keys_in_other_columns_are_masked(pseudonymiser):
    key = f"Viewer:{pseudonymiser.one('raw-viewer-1')}"
    frame = pd.DataFrame({"source": [key], "target": ["Creator:c1"], "hops": [1]})
    for text in _views(Result(frame, Provenance("paths", {}, "networkx"))):
        _no_viewer_ids(text, pseudonymiser)
        assert "Viewer:(pseudonym)" in text and "Creator:c1" in text


def test_graph_view_counts_each_kind_and_type_and_names_its_formulas(loaded, pseudonymiser):
    for text in _views(loaded.analysis_graph("audience")):
        assert "Graph 'audience' (directed): 4 nodes, 3 edges" in text
        assert "Creator 2" in text and "Viewer 2" in text
        assert "FOLLOWS 1" in text and "ENGAGES_WITH 2" in text
        assert "ENGAGES_WITH log2(1 + views)" in text and "name, followers" in text
        _no_viewer_ids(text, pseudonymiser)
    plain = Graph(np.array(["a"], dtype=object), np.array(["Topic"], dtype=object), np.zeros(0, dtype=np.int64),
                  np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=object))
    assert repr(plain) == "Graph (undirected): 1 nodes, 0 edges\nnodes: Topic 1\nedges: none"


def test_a_large_graph_view_stays_short():
    n = 200_000
    g = Graph(np.array([f"v{i}" for i in range(n)], dtype=object), np.full(n, "Viewer", dtype=object),
              np.arange(n - 1), np.arange(1, n), np.ones(n - 1), np.full(n - 1, "FOLLOWS", dtype=object))
    text = repr(g)
    assert len(text) < 300 and "Viewer 200,000" in text and "v1" not in text


def test_store_views_give_counts_and_the_key_fingerprint_prefix(loaded, data, pseudonymiser):
    for text in _views(loaded):
        assert "Creator 2" in text and "Viewer 2" in text and "ENGAGES_WITH 2" in text
        _no_viewer_ids(text, pseudonymiser)
    if isinstance(loaded, EmbeddedStore):
        assert f"pseudonym key fingerprint: {data.key_fingerprint[:8]}..." in repr(loaded)
        assert repr(loaded).startswith("EmbeddedStore(path=None), in memory, not saved")


def test_a_saved_embedded_store_view_names_its_folder(data, tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    store.load(data)
    store.save()
    assert repr(store).startswith(f"EmbeddedStore(path={str(tmp_path / 's')!r}), on disk as generation 1")


@pytest.mark.neo4j
def test_neo4j_store_view_never_shows_the_password_and_never_raises(neo4j_store, neo4j_uri):
    store = neo4j_store
    text = repr(store)
    assert text.startswith(f"Neo4jStore(uri={neo4j_uri!r}") and "nodes: none" in text
    assert store._password not in text and store._password not in store._repr_html_()
    # The server gone: a real driver pointed at a closed port, as a store sees a stopped server.
    password = "pw-repr-visible-if-leaked"
    live, store._driver = store._driver, neo4j.GraphDatabase.driver("bolt://127.0.0.1:9", auth=("neo4j", password))
    try:
        text = repr(store)
        assert "not connected: " in text and "connection refused" in text and password not in text
    finally:
        store._driver.close()
        store._driver = live
    other = Neo4jStore(neo4j_uri)
    other.close()
    assert repr(other).endswith("\nclosed")


def test_dataset_view_counts_rejects_and_warnings_without_rows(valid_dataset, pseudonymiser, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    for path in valid_dataset.iterdir():
        (bad / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with (bad / "viewers.csv").open("a", encoding="utf-8") as handle:
        handle.write("raw-viewer-3,ancient,rural\n")  # a bad age band: one reject
    data = loaders.read_dataset(bad, pseudonymise=pseudonymiser, on_error="skip")
    for text in _views(data):
        assert "Creator 2" in text and "Viewer 2" in text and "FOLLOWS 1" in text
        assert "rejects: 1 problems" in text and f"warnings: {len(data.warnings)}" in text
        assert f"fingerprint: {data.key_fingerprint[:8]}..." in text and data.key_fingerprint not in text
        _no_viewer_ids(text, pseudonymiser)
        assert "raw-viewer-3" not in text and pseudonymiser.one("raw-viewer-3") not in text
        assert len(text) < 800
