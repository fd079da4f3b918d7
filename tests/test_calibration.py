"""The generator's calibration, measured through the loader, the store and the analysis
(never read back from the generator's constants)."""

from __future__ import annotations

import igraph
import pytest

import loaders
from graphkit import EmbeddedStore, Pseudonymiser, concentration, earning, louvain


def _store(folder) -> EmbeddedStore:
    data = loaders.read_dataset(folder, pseudonymise=Pseudonymiser(b"calibration-test-key"))
    store = EmbeddedStore()
    store.load(data)
    return store


@pytest.fixture(scope="module")
def generated_store(generated) -> EmbeddedStore:
    return _store(generated)


@pytest.mark.slow
def test_about_70_percent_of_active_creators_earn_and_it_varies_with_the_seed(tmp_path):
    # 4000 creators: about 3600 active, so 3 points is over 4 standard errors of the draw.
    shares = []
    for seed in (1, 2, 3):
        loaders.generate(4000, seed, tmp_path / str(seed), format="parquet")
        store = _store(tmp_path / str(seed))
        shares.append(earning(store.nodes("Creator"), store.relationships("AFFILIATED_WITH"),
                              store.relationships("PARTNERS_WITH")).summary["earning_share"])
    for share in shares:
        assert share == pytest.approx(0.70, abs=0.03)
    assert len(set(shares)) == 3  # drawn, not fixed


def test_top_one_percent_of_creators_hold_at_least_30_percent_of_follows(generated_store):
    store = generated_store
    result = concentration(store.nodes("Creator"), store.relationships("FOLLOWS"), store.relationships("ENGAGES_WITH"),
                           store.nodes("Topic"), store.relationships("SUBTOPIC_OF"))
    assert result.summary["top1_share_follows"] >= 0.30


def test_louvain_communities_match_creators_primary_topics(generated_store):
    graph = generated_store.analysis_graph("whole")
    communities = louvain(graph, seed=0).frame
    creators = generated_store.nodes("Creator")
    active = creators[creators["active"]].set_index("id")["primary_topic"]
    found = communities[communities["kind"] == "Creator"].set_index("id")["community"].reindex(active.index)
    topics = {t: i for i, t in enumerate(sorted(set(active)))}
    # The NMI is igraph's, an implementation independent of graphkit.
    nmi = igraph.compare_communities(found.tolist(), [topics[t] for t in active], method="nmi")
    assert nmi >= 0.5
