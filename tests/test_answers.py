"""``graphkit.answers(store)``: the three questions in one call, the same on either store.

The measures themselves are pinned in tests/test_answers_{connectivity,business,allocation}.py
(hand-worked answers, independent implementations, planted effects); this file pins what the
one call adds: every measure present, equal numbers from the embedded store and from Neo4j,
the analysis graphs in provenance, and no viewer identity anywhere in the answers.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import graphkit
import loaders
from graphkit import EmbeddedStore, Pseudonymiser, model

KEY = b"answers-test-key-0123456789"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("answers") / "d"
    loaders.generate(300, 2, out)
    return loaders.read_dataset(out, pseudonymise=Pseudonymiser(KEY))


@pytest.fixture(scope="module")
def embedded_answers(dataset):
    store = EmbeddedStore()
    store.load(dataset)
    return store, graphkit.answers(store, resamples=100)


def test_every_question_gets_its_measures(embedded_answers):
    _, a = embedded_answers
    assert set(a.connectivity) == {"reach", "interest_match", "interest_served", "brokers", "co_creation",
                                   "partnership_effect"}
    assert set(a.business) == {"earning", "position"}
    assert set(a.allocation) == {"concentration", "lorenz", "fair_access", "resource_allocation"}
    assert all(isinstance(r, graphkit.Result) and len(r.frame) for _, r in a)
    assert a.parameters == {"seed": 0, "max_hops": 4, "resamples": 100}
    assert set(a.graphs) == {"whole", "reach", "audience"}
    assert a.graphs["audience"]["weights"] == {"FOLLOWS": "1", "ENGAGES_WITH": "log2(1 + views)"}


def test_graph_measures_name_their_analysis_graph_in_provenance(embedded_answers):
    _, a = embedded_answers
    assert a.connectivity["reach"].provenance.graph["name"] == "reach"
    assert a.connectivity["brokers"].provenance.graph["name"] == "reach"
    assert a.business["position"].provenance.graph["name"] == "audience"


def test_the_answers_are_plain_json(embedded_answers):
    _, a = embedded_answers
    text = json.dumps(a.to_dict(rows=5), default=str)
    assert json.loads(text)["questions"].keys() == {"connectivity", "business", "allocation"}


def test_no_viewer_identity_reaches_the_answers(embedded_answers):
    store, a = embedded_answers
    pseudonyms = set(store.node_ids(model.VIEWER.label))
    for key, result in a:
        for column in result.frame.columns:
            values = result.frame[column]
            if values.dtype == object:
                assert not pseudonyms & set(values.dropna().map(str)), (key, column)
        assert not pseudonyms & set(map(str, result.summary.values())), key


def test_a_bad_argument_is_one_clear_line(embedded_answers):
    store, _ = embedded_answers
    with pytest.raises(graphkit.ArgumentError, match="max_hops must be between 1 and 6"):
        graphkit.answers(store, max_hops=7)
    with pytest.raises(graphkit.ArgumentError, match="resamples must be at least 20"):
        graphkit.answers(store, resamples=5)


def _same(a: graphkit.Result, b: graphkit.Result, key: str) -> None:
    fa, fb = a.frame.reset_index(drop=True), b.frame.reset_index(drop=True)
    pd.testing.assert_frame_equal(fa, fb, check_dtype=False, rtol=1e-9, obj=key)
    for name, value in a.summary.items():
        other = b.summary[name]
        if isinstance(value, float) and not np.isnan(value):
            assert other == pytest.approx(value, rel=1e-9), (key, name)
        else:
            assert str(other) == str(value), (key, name)


@pytest.mark.neo4j
@pytest.mark.slow
def test_the_answers_are_equal_on_the_embedded_store_and_on_neo4j(embedded_answers, dataset, neo4j_store):
    _, expected = embedded_answers
    neo4j_store.load(dataset)
    found = graphkit.answers(neo4j_store, resamples=100)
    assert found.counts == expected.counts
    for key, result in expected:
        _same(result, found.results()[key], key)


def test_the_answers_repr_is_short_and_names_every_measure(embedded_answers):
    store, a = embedded_answers
    text, page = repr(a), a._repr_html_()
    assert text.startswith("Answers to the three questions (12 measures")
    assert all(key in text for key in a.results()) and len(text.splitlines()) == 13
    assert max(map(len, text.splitlines()[1:])) <= 200 and len(page) < 10_000
    assert not any(p in text or p in page for p in store.node_ids(model.VIEWER.label))
