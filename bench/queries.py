"""Every named query on the embedded store against the same query on Neo4j, side by side.

The generator's benchmark dataset (``--scale 10000``, seed 0, about 1.1M relationships) is
read once (validation, pseudonymisation) and loaded into an in-memory embedded store and
into the Neo4j database at ``--neo4j URI`` (default ``$NEO4J_URI``; the database is emptied
first, so point it at a server of your own, such as ``scripts/neo4j start`` gives).  The
same PageRank scores are written back to both, for ``top_creators_by_score``.

Each named query runs with one heavy parameter set (the root topic, the best-tied
institution at k = 6, the busiest creator, ...), once to warm up and check that both stores
give the same rows (the embedded store's first call, which builds the neighbourhood
queries' end index, is shown apart), then ``--repeats`` times per store, alternating; the
best time counts.
The last line is::

    queries: embedded_vs_neo4j_worst=<x>

x = the largest embedded time / Neo4j time over the queries (target x <= 2).
Usage: ``python bench/queries.py [--scale 10000] [--repeats 5] [--neo4j URI]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import loaders  # noqa: E402
from graphkit import EmbeddedStore, Pseudonymiser, model, pagerank  # noqa: E402
from graphkit.cypher import query_names  # noqa: E402
from graphkit.stores.base import Store  # noqa: E402
from graphkit.stores.neo4j import Neo4jStore  # noqa: E402

KEY = b"bench-key-0123456789"


def heavy_params(store: EmbeddedStore) -> dict[str, dict[str, Any]]:
    """One demanding parameter set per named query, chosen from the data."""
    pub, sub = store.relationships("PUBLISHES_ON"), store.relationships("SUBTOPIC_OF")
    root = sorted(set(store.nodes("Topic")[model.ID]) - set(sub[model.SOURCE_ID]))[0]
    ties = pd.concat([store.relationships("AFFILIATED_WITH")[model.TARGET_ID],
                      store.relationships("PARTNERS_WITH")[model.SOURCE_ID]]).value_counts()
    busiest = pub[model.SOURCE_ID].value_counts().index[0]
    return {
        "top_creators_in_topic": {"topic": root, "limit": 100},
        "top_creators_by_score": {"topic": root, "score": "pagerank", "limit": 100},
        "institution_reach": {"institution": ties.index[0], "k": 6},
        "topic_co_coverage": {"min_videos": 1, "limit": 100},
        "bridging_creators": {"min_institutions": 1, "limit": 100},
        "segment_coverage": {"segment": "age_band"},
        "neighbourhood_creator": {"id": busiest},
        "neighbourhood_institution": {"id": ties.index[0]},
        "neighbourhood_topic": {"id": root},
    }


def best(store: Store, name: str, params: dict[str, Any], repeats: int) -> float:
    """The best of ``repeats`` timings of one named query, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        store.query(name, **params)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--neo4j", default=os.environ.get("NEO4J_URI"), help="Neo4j URI (default $NEO4J_URI)")
    args = parser.parse_args()
    if not args.neo4j:
        parser.error("give --neo4j URI or set NEO4J_URI (the database is emptied)")
    with tempfile.TemporaryDirectory() as tmp:
        loaders.generate(args.scale, 0, Path(tmp) / "data")
        data = loaders.read_dataset(Path(tmp) / "data", pseudonymise=Pseudonymiser(KEY))
    embedded = EmbeddedStore()
    embedded.load(data)
    ranks = pagerank(embedded.analysis_graph("whole")).frame
    scores = ranks.loc[ranks[model.KIND] == model.CREATOR.label, [model.KIND, model.ID, "pagerank"]]
    embedded.write_results(scores)
    params = heavy_params(embedded)
    print(f"scale {args.scale}: {sum(embedded.counts().values())} nodes and relationships; loading Neo4j", flush=True)
    neo4j = Neo4jStore(args.neo4j)
    with neo4j:
        neo4j.clear()
        neo4j.load(data)
        neo4j.write_results(scores)
        print(f"{'query':<28}{'embedded s':>12}{'neo4j s':>12}{'ratio':>8}{'first call':>12}  parameters")
        ratios = {}
        for name in query_names(public=True):
            p = params[name]
            start = time.perf_counter()
            first = embedded.query(name, **p)
            cold = time.perf_counter() - start
            pd.testing.assert_frame_equal(first, neo4j.query(name, **p), check_exact=False, rtol=0, atol=1e-9)
            emb = nea = float("inf")
            for i in range(2):  # alternate, so neither store always runs first
                for store in ((embedded, neo4j) if i == 0 else (neo4j, embedded)):
                    t = best(store, name, p, max(1, args.repeats // 2 + i % 2))
                    if store is embedded:
                        emb = min(emb, t)
                    else:
                        nea = min(nea, t)
            ratios[name] = emb / nea
            print(f"{name:<28}{emb:>12.4f}{nea:>12.4f}{ratios[name]:>8.2f}{cold:>12.4f}  {p}", flush=True)
        neo4j.clear()
    print(f"queries: embedded_vs_neo4j_worst={max(ratios.values()):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
