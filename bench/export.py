"""Benchmark ``graphkit.export`` (what ``graphkit export`` runs) against networkx's own writers.

The benchmark dataset (``loaders.generate(10000, 0)``: 110,155 nodes, about 1.1M
relationships, the documented benchmark scale) is loaded once into an embedded store, with
analysis results written back (``analyze_store(write=True)``, untimed), so that nodes carry
communities, PageRank and the rest.  Then, for each format (GEXF 1.3, GraphML), each side
runs in a fresh subprocess that opens the store (untimed):

- **graphkit**: ``graphkit.export(store, path, viewers="all")``, timed from the open store to
  the closed file (projection, node frames and the streamed write); its peak RSS
  (``ru_maxrss`` of the whole process, the open store included) is the ``peak_mb``.
- **networkx**: builds an ``nx.MultiGraph`` holding the same nodes, attributes and edges
  (untimed: an already built graph), then ``nx.write_gexf(G, path, version="1.3")`` or
  ``nx.write_graphml(G, path)``, timed.

Viewers are included (``viewers="all"``) so both sides write the same graph; the node and
edge counts of both files are compared.  Runs alternate graphkit, networkx, networkx,
graphkit, ...; the best of ``--repeats`` counts.  The last line is::

    export: vs_networkx_write=<x> peak_mb=<m>

x the worse over the formats of graphkit's time / networkx's write time, m graphkit's
largest peak RSS in MB.  Targets: x <= 2, m < 950 (half of the 1.9 GB the export took before).
Usage::

    python bench/export.py [--scale 10000] [--repeats 3] [--formats gexf,graphml] [--store PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout: loaders is a top-level package

KEY = b"bench-export-key-0123456789"
FORMATS = ("gexf", "graphml")

# Runs in the child: one side, one format, one file.
CHILD = r"""
import json, resource, sys, time
import graphkit
from graphkit import model
from graphkit.reports.export import node_attributes
side, store_path, out = sys.argv[1:4]
store = graphkit.EmbeddedStore.open(store_path)
if side == "graphkit":
    start = time.perf_counter()
    graphkit.export(store, out, viewers="all")
    seconds = time.perf_counter() - start
else:
    import networkx as nx
    import pandas as pd
    graph = store.analysis_graph("whole")
    names = {a.name for a in node_attributes}
    G = nx.MultiGraph()
    for kind in model.NODE_KINDS:
        frame = store.nodes(kind.label)
        cols = [c for c in frame.columns if c in names and c != model.ID]
        for row in frame.to_dict("records"):
            attrs = {c: (model.LIST_SEPARATOR.join(v) if isinstance(v, (list, tuple)) else v)
                     for c in cols if (v := row[c]) is not None and (isinstance(v, (list, tuple)) or not pd.isna(v))}
            key = model.node_key(kind.label, row[model.ID])
            G.add_node(key, kind=kind.label, id=row[model.ID], label=attrs.get("name", key), **attrs)
    keys = graph.keys
    # "relationship" rather than "type": networkx's GEXF writer takes an edge's "type" for its direction.
    G.add_edges_from((keys[s], keys[t], {"id": f"e{i}", "relationship": r, "weight": w}) for i, (s, t, r, w) in
                     enumerate(zip(graph.source.tolist(), graph.target.tolist(), graph.rel_types, graph.weight.tolist())))
    del graph
    start = time.perf_counter()
    if out.endswith(".gexf"):
        nx.write_gexf(G, out, version="1.3")
    else:
        nx.write_graphml(G, out)
    seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "graphkit": graphkit.__file__}))
"""


def counts(path: Path) -> tuple[int, int]:
    """Node and edge elements in an XML file, counted in a stream."""
    nodes = edges = 0
    tail = b""
    with open(path, "rb") as file:
        while chunk := file.read(1 << 24):
            text = tail + chunk
            nodes += text.count(b"<node ")
            edges += text.count(b"<edge ")
            tail = text[-5:]  # a tag cut by the chunk boundary (6 bytes) is counted in the next one
    return nodes, edges


def run_child(side: str, store: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, side, str(store), str(out)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"{side} export to {out.name} failed (exit {proc.returncode})")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if not Path(result["graphkit"]).resolve().is_relative_to(ROOT):
        raise SystemExit(f"graphkit came from {result['graphkit']}, not from {ROOT}")
    return result


def build_store(work: Path, scale: int, seed: int) -> Path:
    import graphkit
    import loaders

    dataset, store_path = work / "dataset", work / "store"
    summary = loaders.generate(scale, seed, dataset)
    pseudonymiser = graphkit.Pseudonymiser(KEY)
    data = loaders.read_dataset(dataset, pseudonymise=pseudonymiser)
    with graphkit.EmbeddedStore.writing(store_path) as store:
        store.load(data.nodes, data.relationships, key_fingerprint=pseudonymiser.fingerprint)
        graphkit.analyze_store(store, seed=seed, out=work / "analysis", write=True)
        store.save()
    shutil.rmtree(dataset)
    print(f"dataset: scale {scale}, {summary.total_relationships:,} relationships, "
          f"{sum(summary.nodes.values()):,} nodes; loaded and analysed into {store_path}", flush=True)
    return store_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000, help="creators (default 10000: ~1.1M relationships)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per side and format; the best counts")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma list of gexf, graphml")
    parser.add_argument("--store", help="an embedded store to export (default: build one at --scale)")
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if not formats or set(formats) - set(FORMATS):
        parser.error(f"--formats: a comma list of {', '.join(FORMATS)}")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    work = Path(tempfile.mkdtemp(prefix="graphkit-bench-export-"))
    try:
        store = Path(args.store) if args.store else build_store(work, args.scale, args.seed)
        best: dict[tuple[str, str], float] = {}
        peak = 0.0
        for fmt in formats:
            for repeat in range(args.repeats):
                order = ("graphkit", "networkx") if repeat % 2 == 0 else ("networkx", "graphkit")
                written = {}
                for side in order:
                    out = work / f"{side}.{fmt}"
                    result = run_child(side, store, out)
                    written[side] = counts(out)
                    size = out.stat().st_size / 1e6
                    out.unlink()
                    best[(fmt, side)] = min(best.get((fmt, side), float("inf")), result["seconds"])
                    if side == "graphkit":
                        peak = max(peak, result["maxrss_mb"])
                    print(f"{fmt} {repeat + 1} {side:8s} {result['seconds']:7.2f}s  peak RSS "
                          f"{result['maxrss_mb']:6.0f} MB  {size:6.1f} MB  {written[side][0]:,} nodes "
                          f"{written[side][1]:,} edges", flush=True)
                if written["graphkit"] != written["networkx"]:
                    raise SystemExit(f"{fmt}: graphkit wrote {written['graphkit']}, networkx {written['networkx']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = []
    for fmt in formats:
        ours, theirs = best[(fmt, "graphkit")], best[(fmt, "networkx")]
        ratios.append(ours / theirs)
        print(f"{fmt}: graphkit={ours:.2f}s networkx_write={theirs:.2f}s ratio={ours / theirs:.2f} "
              f"(best of {args.repeats})")
    print(f"export: vs_networkx_write={max(ratios):.2f} peak_mb={peak:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
