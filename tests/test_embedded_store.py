"""What only the embedded store does: save and reopen, and named queries refused (the behaviours
every store shares are in tests/test_store_contract.py; its life on disk in tests/test_store_lifecycle.py)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import loaders
from graphkit import EmbeddedStore, StoreError, model
from graphkit.errors import QueryError


@pytest.fixture
def loaded(valid_dataset, pseudonymiser):
    data = loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser)
    store = EmbeddedStore()
    store.load(data)
    return store, data


def _snapshot(store):
    frames = {**{k.label: store.nodes(k.label) for k in model.NODE_KINDS},
              **{r.type: store.relationships(r.type) for r in model.REL_KINDS}}
    return {k: f.to_json(orient="records") for k, f in frames.items()}


def test_save_and_reopen_round_trip(loaded, tmp_path):
    store, _ = loaded
    store.write_results(pd.DataFrame({"kind": ["Creator"], "id": ["c1"], "community": [3]}))
    store.key_fingerprint = "abc"
    store.save(tmp_path / "s")
    again = EmbeddedStore.open(tmp_path / "s")
    assert _snapshot(again) == _snapshot(store)
    assert again.key_fingerprint == "abc"
    assert again.nodes("Creator").loc[0, "income_streams"] == ["advertising", "revenue_sharing"]
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["counts"] == store.counts() and "key" not in json.dumps(manifest).replace("key_fingerprint", "")


def test_reopening_a_damaged_or_foreign_folder_fails_clearly(loaded, tmp_path):
    store, _ = loaded
    with pytest.raises(StoreError, match="not a saved graphkit store"):
        EmbeddedStore.open(tmp_path)
    store.save(tmp_path / "s")
    (tmp_path / "s" / "relationships" / "FOLLOWS.parquet").write_bytes(b"junk")
    with pytest.raises(StoreError, match="cannot read"):
        EmbeddedStore.open(tmp_path / "s")


def test_named_queries_run_on_the_embedded_store(valid_dataset, pseudonymiser):
    store = EmbeddedStore()
    store.load(loaders.read_dataset(valid_dataset, pseudonymise=pseudonymiser))
    top = store.query("top_creators_in_topic", topic="t0", limit="10")  # t1 is a subtopic of t0
    assert top[["id", "views", "videos"]].values.tolist() == [["c1", 50000, 12], ["c2", 0, 0]]
    with pytest.raises(QueryError, match="^no Topic with id 't9'$"):
        store.query("top_creators_in_topic", topic="t9", limit=1)
