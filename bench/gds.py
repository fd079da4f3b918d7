"""graphkit's way against Neo4j Graph Data Science's on one server: the standard analysis, and its write-back.

On a Neo4j server with GDS (``GRAPHKIT_NEO4J_PLUGINS=gds,apoc scripts/neo4j start``), holding
the generated dataset (``--load`` generates ``--scale`` creators, seed 0, and loads them
first; the store is cleared), each side runs ``--repeats`` times, alternating the order; the
best time of each counts:

- graphkit: ``store.analysis_graph(graph)`` (the projection streamed to the client) plus
  ``graphkit.analyze`` of it (engine ``auto``);
- gds: ``gds.project(store, graph, concurrency=2)`` plus ``graphkit.analyze(g, engine="gds")``
  (the same measures in the server; the Cypher aggregation projection, since GDS's native one
  cannot compute the tie weights), the projection dropped;
- the write-back of each: ``store.write_results(analysis.nodes())`` against
  ``gds.write_back(g)`` (GDS's write mode).

The last line is::

    gds: graphkit_vs_gds=<x> write_vs_gds=<w>

x = graphkit's best total / GDS's best total (lower is better for graphkit), w likewise for
the write-back.  Usage: ``python bench/gds.py --neo4j URI [--load] [--scale 10000]
[--graph whole] [--repeats 3] [--parity]`` (``NEO4J_PASSWORD`` as for every Neo4j command); ``--parity`` first checks GDS's results against graphkit's on the same data and prints one ``parity: ...`` line.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import graphkit  # noqa: E402
from graphkit.analysis import gds  # noqa: E402
from graphkit.stores.neo4j import Neo4jStore  # noqa: E402

KEY = b"bench-key-0123456789"


def load(store: Neo4jStore, scale: int) -> None:
    import loaders

    with tempfile.TemporaryDirectory() as folder:
        print(f"generating and loading the dataset (scale {scale}, seed 0)", file=sys.stderr)
        loaders.generate(scale, 0, folder)
        store.clear()
        store.load(loaders.read_dataset(folder, pseudonymise=graphkit.Pseudonymiser(KEY)))


class Steps:
    """``analyze``'s progress callback: the seconds each step took."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []

    def __call__(self, step: str) -> None:
        self.marks.append((step, time.perf_counter()))

    def seconds(self, end: float) -> dict[str, float]:
        ends = [t for _, t in self.marks[1:]] + [end]
        return {step: stop - t for (step, t), stop in zip(self.marks, ends)}


def graphkit_side(store: Neo4jStore, graph: str) -> dict[str, float]:
    start = time.perf_counter()
    projected = store.analysis_graph(graph)
    steps = Steps()
    begun = time.perf_counter()
    analysis = graphkit.analyze(projected, seed=0, progress=steps)
    middle = time.perf_counter()
    store.write_results(analysis.nodes())
    return {"project": begun - start, **steps.seconds(middle), "analyze": middle - start,
            "write": time.perf_counter() - middle}


def gds_side(store: Neo4jStore, graph: str) -> dict[str, float]:
    start = time.perf_counter()
    with gds.project(store, graph, concurrency=2) as g:
        projected = time.perf_counter()
        steps = Steps()
        graphkit.analyze(g, seed=0, engine="gds", progress=steps)
        middle = time.perf_counter()
        gds.write_back(g)
        end = time.perf_counter()
    dropped = time.perf_counter()
    return {"project": projected - start, **steps.seconds(middle), "analyze": middle - start + (dropped - end),
            "write": end - middle}


def _by_node(result: graphkit.Result, column: str) -> pd.Series:
    frame = result.frame
    return pd.Series(frame[column].to_numpy(), index=frame["kind"] + ":" + frame["id"].astype(str)).sort_index()


def parity(store: Neo4jStore, graph: str) -> str:
    """The parity checks of tests/test_gds.py, on the data in the store (the benchmark dataset).

    networkx's Louvain is left out here: python-louvain takes minutes at this size (the tests
    compare it on LFR and on a generated dataset).
    """
    client = store.analysis_graph(graph)
    with gds.project(store, graph, concurrency=2) as g:
        found = {name: fn(g, engine="gds") for name, fn in (
            ("components", graphkit.components), ("kcore", graphkit.core_number), ("pagerank", graphkit.pagerank),
            ("louvain", graphkit.louvain), ("degree", lambda x, engine: graphkit.degree(x, weight="weight", engine=engine)))}
    own = {
        "components": graphkit.components(client, engine="fast"),
        "kcore": graphkit.core_number(client, engine="fast"),
        "pagerank": graphkit.pagerank(client, tol=1e-9 / client.number_of_nodes(), engine="fast"),
        "louvain": graphkit.louvain(client, seed=0, engine="fast"),
        "degree": graphkit.degree(client, weight="weight", engine="fast"),
    }
    same = {m: bool((_by_node(found[m], c) == _by_node(own[m], c)).all())
            for m, c in (("components", "component"), ("kcore", "core_number"))}
    a, b = _by_node(found["pagerank"], "pagerank"), _by_node(own["pagerank"], "pagerank")
    d, e = _by_node(found["degree"], "degree"), _by_node(own["degree"], "degree")
    q_gds = graphkit.modularity(client, found["louvain"])
    q_own = own["louvain"].summary["modularity"]
    nmi = graphkit.nmi(_by_node(found["louvain"], "community").to_numpy(), _by_node(own["louvain"], "community").to_numpy())
    return (f"parity: components_equal={same['components']} kcore_equal={same['kcore']} "
            f"pagerank_max_diff_vs_max={float((a - b).abs().max() / b.max()):.2e} "
            f"degree_max_rel={float(((d - e).abs() / e.abs().clip(lower=1e-300)).max()):.2e} "
            f"modularity_gds={q_gds:.4f} modularity_graphkit={q_own:.4f} nmi={nmi:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neo4j", required=True, help="bolt URI of a server with GDS")
    parser.add_argument("--load", action="store_true", help="clear the store and load the generated dataset first")
    parser.add_argument("--scale", type=int, default=10000)
    parser.add_argument("--graph", default="whole", choices=list(graphkit.model.ANALYSIS_GRAPHS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--parity", action="store_true", help="check GDS's results against graphkit's, then time")
    args = parser.parse_args()
    with Neo4jStore(args.neo4j) as store:
        if args.load:
            load(store, args.scale)
        if args.parity:
            print(parity(store, args.graph), flush=True)
        counts = store.counts()
        print(f"store: {sum(counts[k.label] for k in graphkit.model.NODE_KINDS):,} nodes, "
              f"{sum(counts[r.type] for r in graphkit.model.REL_KINDS):,} relationships; graph {args.graph!r}",
              file=sys.stderr)
        runs: dict[str, list[dict[str, float]]] = {"graphkit": [], "gds": []}
        sides = {"graphkit": graphkit_side, "gds": gds_side}
        for repeat in range(args.repeats):
            for side in (("graphkit", "gds") if repeat % 2 == 0 else ("gds", "graphkit")):
                found = sides[side](store, args.graph)
                runs[side].append(found)
                print(f"{side}: " + ", ".join(f"{k} {v:.2f} s" for k, v in found.items()), file=sys.stderr)
    if not args.repeats:
        return
    best = {side: min(r["analyze"] for r in found) for side, found in runs.items()}
    write = {side: min(r["write"] for r in found) for side, found in runs.items()}
    for step in runs["gds"][0]:
        print(f"  {step:12} best: graphkit {min(r[step] for r in runs['graphkit']):7.2f} s   "
              f"gds {min(r[step] for r in runs['gds']):7.2f} s")
    print(f"gds: graphkit_vs_gds={best['graphkit'] / best['gds']:.2f} write_vs_gds={write['graphkit'] / write['gds']:.2f}")


if __name__ == "__main__":
    main()
