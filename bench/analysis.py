"""Benchmark graphkit's analysis (``graphkit.analyze``, what ``graphkit analyze`` runs) against
plain networkx + python-louvain and against igraph, side by side.

Two graphs: the generator's benchmark dataset (``loaders.generate(10000, 0)``, about 1.1M
relationships, the documented benchmark scale) projected undirected over all kinds with
``model.ANALYSIS_WEIGHTS``, and an LFR graph (n=100000, tau1=3, tau2=1.5, mu=0.2,
average_degree=15, max_degree=200, min_community=20, max_community=1000, seed=1).  The edge
arrays are saved to disk first; each pipeline then runs in its own subprocess, loads the
arrays, builds its own graph (timed: part of its time) and runs the same steps:

=============  ==========================  ===========================  ==========================
step           graphkit (``analyze``)      networkx + python-louvain    igraph
=============  ==========================  ===========================  ==========================
build          ``Graph`` from the arrays   ``nx.Graph``, edges merged   ``ig.Graph``, ``simplify``
components     ``components``              ``connected_components``     ``connected_components``
louvain        ``louvain`` (weighted)      ``best_partition``           ``community_multilevel``
pagerank       ``pagerank`` (weighted)     ``nx.pagerank`` (tol 1e-10)  ``pagerank``
kcore          ``core_number``             ``core_number``              ``coreness``
betweenness    ``betweenness(k=256)``      16-source pilot, projected   ``betweenness(sources=)``
=============  ==========================  ===========================  ==========================

All use the same 256 sources (``random.Random(seed).sample(range(n), 256)``); networkx's
betweenness is timed on a pilot of ``--pilot`` sources and projected linearly to 256 (said
in the output).  Each child reports its peak memory (``ru_maxrss``).  The last line is::

    analysis: vs_networkx=<x> vs_igraph=<y> modularity_gap=<z> mem_vs_igraph=<m>

each the worse over the two graphs: x = networkx time / graphkit time over build,
components, Louvain, PageRank and k-core; y = graphkit time / igraph time over build and all
five steps; z = best modularity of the three minus graphkit's; m = graphkit's peak memory /
igraph's.  Targets: x >= 20, y <= 1.5, z <= 0.001, m <= 1.5.

Run from the repository root (about 10 minutes, most of it networkx)::

    python bench/analysis.py
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout: loaders is a top-level package

STEPS = ("build", "components", "louvain", "pagerank", "kcore", "betweenness")
LFR = dict(tau1=3, tau2=1.5, mu=0.2, average_degree=15, max_degree=200, min_community=20, max_community=1000)
BENCH_KEY = b"bench-key-0123456789"


# -- preparing the graphs (parent process) ------------------------------------------------
def _save(folder: Path, **arrays: np.ndarray) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    arrays["n"] = np.array([len(arrays["ids"])])
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", array, allow_pickle=array.dtype == object)
    (folder / "ready").write_text("ok\n")


def prepare_generated(folder: Path, scale: int, say) -> None:
    if (folder / "ready").exists():
        return
    import graphkit
    import loaders

    dataset = folder / "dataset"
    say(f"generating the benchmark dataset (loaders.generate({scale}, 0))")
    loaders.generate(scale, 0, dataset)
    data = loaders.read_dataset(dataset, pseudonymise=graphkit.Pseudonymiser(BENCH_KEY))
    store = graphkit.EmbeddedStore()
    store.load(data)
    g = store.analysis_graph("whole")
    kind_names, kind_codes = np.unique(g.kinds.astype(str), return_inverse=True)
    type_names, type_codes = np.unique(g.rel_types.astype(str), return_inverse=True)
    _save(folder, source=np.asarray(g.source, np.int64), target=np.asarray(g.target, np.int64),
          weight=np.asarray(g.weight, np.float64), ids=np.asarray(g.ids, dtype=object),
          kind_codes=kind_codes.astype(np.int8), kind_names=kind_names,
          type_codes=type_codes.astype(np.int8), type_names=type_names)


def prepare_lfr(folder: Path, n: int, say) -> None:
    if (folder / "ready").exists():
        return
    import networkx as nx

    for seed in range(1, 21):
        say(f"generating the LFR graph (n={n}, seed={seed})")
        try:
            G = nx.LFR_benchmark_graph(n, seed=seed, **LFR)
            break
        except nx.ExceededMaxIterations:
            say(f"  seed {seed} did not converge; next seed")
    else:
        raise SystemExit("the LFR generator did not converge for seeds 1-20")
    edges = np.array(list(G.edges()), dtype=np.int64).reshape(-1, 2)
    groups: dict = {}
    planted = np.array([groups.setdefault(frozenset(G.nodes[v]["community"]), len(groups)) for v in range(n)])
    _save(folder, source=edges[:, 0].copy(), target=edges[:, 1].copy(), planted=planted,
          seed=np.array([seed]), ids=np.array([str(v) for v in range(n)], dtype=object))


# -- the pipelines (each in its own child process) ----------------------------------------
def _load(folder: Path, *names: str) -> dict[str, Any]:
    """The named arrays that the folder has (a pipeline loads only what it uses), and ``n``."""
    arrays: dict[str, Any] = {"n": int(np.load(folder / "n.npy")[0])}
    for name in names:
        if (folder / f"{name}.npy").exists():
            arrays[name] = np.load(folder / f"{name}.npy", allow_pickle=name == "ids")
    return arrays


def _peak_mb() -> float:
    """This process's peak resident memory, MB (``ru_maxrss``; the parent stays small, so the
    floor that a child inherits across fork and exec is far below any pipeline's peak)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sample(n: int, k: int, seed: int) -> list[int]:
    return random.Random(seed).sample(range(n), k)


class _Clock:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._step: str | None = None
        self._start = 0.0

    def step(self, name: str | None) -> None:
        now = time.perf_counter()
        if self._step is not None:
            self.times[self._step] = self.times.get(self._step, 0.0) + now - self._start
        self._step, self._start = name, now


def child_graphkit(folder: Path, k: int, seed: int) -> dict:
    import graphkit
    from graphkit.analysis import pipeline

    a = _load(folder, "source", "target", "weight", "ids", "kind_codes", "kind_names", "type_codes", "type_names")
    clock = _Clock()
    clock.step("build")
    n, m = a["n"], len(a["source"])
    kinds = a["kind_names"].astype(object)[a["kind_codes"]] if "kind_codes" in a else np.full(n, "", dtype=object)
    types = a["type_names"].astype(object)[a["type_codes"]] if "type_codes" in a else np.full(m, "", dtype=object)
    weight = a["weight"] if "weight" in a else np.ones(m)
    graph = graphkit.Graph(a["ids"], kinds, a["source"], a["target"], weight, types)
    assert pipeline.BETWEENNESS_K == k, "the bench's k must be analyze's"
    result = graphkit.analyze(graph, seed=seed, progress=clock.step)
    clock.step(None)
    peak = _peak_mb()
    frame = result.results["betweenness"].frame
    where = pd_index(graph).get_indexer(frame["kind"].astype(str) + ":" + frame["id"].astype(str))
    betweenness = np.zeros(n)
    betweenness[where] = frame["betweenness"].to_numpy()
    return {"times": clock.times, "modularity": result.summary()["louvain"]["modularity"],
            "communities": result.summary()["louvain"]["communities"], "peak_mb": peak,
            "betweenness": betweenness.tolist(),
            "engines": {s: r.provenance.engine for s, r in result.results.items()}}


def pd_index(graph):
    import pandas as pd

    return pd.Index(graph.keys)


def _merged(a: dict) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    n = a["n"]
    s, t = np.minimum(a["source"], a["target"]), np.maximum(a["source"], a["target"])
    w = a["weight"] if "weight" in a else np.ones(len(s))
    key, inverse = np.unique(s * n + t, return_inverse=True)
    return n, key // n, key % n, np.bincount(inverse, weights=w)


def child_networkx(folder: Path, k: int, seed: int, pilot: int) -> dict:
    import community as community_louvain
    import networkx as nx

    a = _load(folder, "source", "target", "weight")
    weighted = "weight" in a
    clock = _Clock()
    clock.step("build")
    n, s, t, w = _merged(a)  # numpy merges parallel edges: the fastest plain build
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(zip(s.tolist(), t.tolist(), w.tolist()))
    del s, t, w
    key = "weight" if weighted else None
    clock.step("components")
    parts = list(nx.connected_components(G))
    clock.step("louvain")
    partition = community_louvain.best_partition(G, weight=key or "__none__", random_state=seed)
    modularity = community_louvain.modularity(partition, G, weight=key or "__none__")
    clock.step("pagerank")
    nx.pagerank(G, weight=key, tol=1e-10, max_iter=1000)
    clock.step("kcore")
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    nx.core_number(G)
    clock.step("betweenness")
    sources = _sample(n, k, seed)[:pilot]
    nx.betweenness_centrality_subset(G, sources, list(G), normalized=False)
    clock.step(None)
    peak = _peak_mb()
    measured = clock.times["betweenness"]
    clock.times["betweenness"] = measured * k / pilot
    return {"times": clock.times, "modularity": modularity, "communities": len(set(partition.values())),
            "components": len(parts), "peak_mb": peak, "note": f"betweenness: {pilot} sources took {measured:.1f} s, "
                                              f"projected linearly to {k}"}


def child_igraph(folder: Path, k: int, seed: int) -> dict:
    import igraph as ig

    a = _load(folder, "source", "target", "weight")
    weighted = "weight" in a
    random.seed(seed)  # python-igraph draws from Python's random module
    clock = _Clock()
    clock.step("build")
    n = a["n"]
    g = ig.Graph(n=n, edges=np.column_stack([a["source"], a["target"]]), directed=False)
    if weighted:
        g.es["weight"] = a["weight"]
    g.simplify(multiple=True, loops=True, combine_edges="sum")
    w = "weight" if weighted else None
    clock.step("components")
    g.connected_components()
    clock.step("louvain")
    membership = g.community_multilevel(weights=w).membership
    modularity = g.modularity(membership, weights=w)
    clock.step("pagerank")
    g.pagerank(weights=w)
    clock.step("kcore")
    g.coreness()
    clock.step("betweenness")
    raw = g.betweenness(sources=_sample(n, k, seed), directed=False)
    clock.step(None)
    return {"times": clock.times, "modularity": modularity, "communities": max(membership) + 1,
            "peak_mb": _peak_mb(), "betweenness_raw": raw}


def run_child(pipeline: str, folder: Path, args: argparse.Namespace) -> dict:
    """Run one pipeline in a fresh interpreter; with repeats, keep the fastest run."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", pipeline, "--graph", str(folder),
           "--k", str(args.k), "--seed", str(args.seed), "--pilot", str(args.pilot)]
    runs = []
    for _ in range(1 if pipeline == "networkx" else args.repeats):
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise SystemExit(f"the {pipeline} pipeline failed:\n{proc.stderr}")
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: sum(r["times"].values()))
    best["runs"] = [round(sum(r["times"].values()), 2) for r in runs]
    return best


def prepare(name: str, folder: Path, args: argparse.Namespace) -> None:
    """Make the edge arrays in a child process, so this one stays small (see :func:`_peak_mb`)."""
    if (folder / "ready").exists():
        return
    cmd = [sys.executable, str(Path(__file__).resolve()), "--prepare", name, "--graph", str(folder),
           "--scale", str(args.scale), "--lfr-n", str(args.lfr_n)]
    if subprocess.run(cmd, cwd=ROOT).returncode != 0:
        raise SystemExit(f"preparing {name} failed")


def child_main(args: argparse.Namespace) -> int:
    folder = Path(args.graph)
    if args.child == "graphkit":
        out = child_graphkit(folder, args.k, args.seed)
    elif args.child == "networkx":
        out = child_networkx(folder, args.k, args.seed, args.pilot)
    else:
        out = child_igraph(folder, args.k, args.seed)
    print(json.dumps(out))
    return 0


# -- comparing ---------------------------------------------------------------------------
def _scaled(raw: np.ndarray, n: int, k: int, sample: list[int]) -> np.ndarray:
    """igraph's raw sampled sums (undirected, each source's pairs once) scaled as networkx's
    ``betweenness_centrality(k=...)``, normalised: what graphkit reports."""
    big_n = n - 1
    scale = np.full(n, 1 / (k * (big_n - 1)))
    scale[sample] = 1 / ((k - 1) * (big_n - 1))
    return raw * 2 * scale


def report(name: str, n: int, results: dict[str, dict], args: argparse.Namespace, say) -> dict[str, float]:
    gk, nxr, ig = results["graphkit"], results.get("networkx"), results["igraph"]
    say(f"\n{name}: {n:,} nodes")
    header = f"  {'step':<12}" + "".join(f"{p:>14}" for p in results) + "   (seconds)"
    say(header)
    for step in STEPS:
        row = f"  {step:<12}" + "".join(f"{r['times'].get(step, float('nan')):>14.2f}" for r in results.values())
        say(row + ("   degree too: %.2f s" % gk["times"]["degree"] if step == "pagerank" and "degree" in gk["times"]
                   else ""))
    totals = {p: sum(r["times"].values()) for p, r in results.items()}
    say(f"  {'total':<12}" + "".join(f"{totals[p]:>14.2f}" for p in results))
    say(f"  {'modularity':<12}" + "".join(f"{r['modularity']:>14.4f}" for r in results.values()))
    say(f"  {'communities':<12}" + "".join(f"{r['communities']:>14d}" for r in results.values()))
    say(f"  {'peak MB':<12}" + "".join(f"{r['peak_mb']:>14.0f}" for r in results.values()))
    say("  runs, total s: " + "; ".join(f"{p} " + " ".join(f"{t:.2f}" for t in r["runs"]) for p, r in results.items())
        + " (the fastest is shown)")
    if nxr is not None:
        say(f"  networkx {nxr['note']}")
    say(f"  graphkit engines: {gk['engines']}")
    mine = np.array(gk["betweenness"])
    theirs = _scaled(np.array(ig["betweenness_raw"]), n, args.k, _sample(n, args.k, args.seed))
    say(f"  betweenness, graphkit vs igraph (same {args.k} sources): max relative difference "
        f"{np.max(np.abs(mine - theirs) / np.maximum(np.abs(theirs), 1e-300)):.1e}")
    four = ("build", "components", "louvain", "pagerank", "kcore")
    best = max(r["modularity"] for r in results.values())
    out = {"vs_igraph": totals["graphkit"] / totals["igraph"], "modularity_gap": best - gk["modularity"],
           "mem_vs_igraph": gk["peak_mb"] / ig["peak_mb"]}
    if nxr is not None:
        out["vs_networkx"] = sum(nxr["times"][s] for s in four) / sum(gk["times"][s] for s in four)
    say("  " + "  ".join(f"{key}={value:.3g}" for key, value in out.items()))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "graphkit-bench-analysis"),
                        help="folder for the datasets and edge arrays (reused when present)")
    parser.add_argument("--graphs", default="generated,lfr", help="comma-separated: generated, lfr")
    parser.add_argument("--scale", type=int, default=10_000, help="creators of the generated dataset")
    parser.add_argument("--lfr-n", type=int, default=100_000, help="nodes of the LFR graph")
    parser.add_argument("--k", type=int, default=256, help="betweenness sources")
    parser.add_argument("--pilot", type=int, default=16, help="sources networkx's betweenness is timed on")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-networkx", action="store_true", help="leave out the (slow) networkx pipeline")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of the graphkit and igraph pipelines; the fastest counts (networkx runs once)")
    parser.add_argument("--child", choices=["graphkit", "networkx", "igraph"], help=argparse.SUPPRESS)
    parser.add_argument("--prepare", choices=["generated", "lfr"], help=argparse.SUPPRESS)
    parser.add_argument("--graph", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    def say(line: str) -> None:
        print(line, flush=True)

    if args.child:
        return child_main(args)
    if args.prepare == "generated":
        prepare_generated(Path(args.graph), args.scale, say)
        return 0
    if args.prepare == "lfr":
        prepare_lfr(Path(args.graph), args.lfr_n, say)
        return 0
    if args.pilot < 16:
        parser.error("--pilot must be at least 16 sources")

    work = Path(args.work)
    folders = {}
    for name in args.graphs.split(","):
        if name not in ("generated", "lfr"):
            parser.error(f"unknown graph {name!r}")
        folders[name] = work / (f"generated-{args.scale}" if name == "generated" else f"lfr-{args.lfr_n}")
        prepare(name, folders[name], args)
    worst: dict[str, float] = {}
    pipelines = ("graphkit", "igraph") + (() if args.skip_networkx else ("networkx",))
    for name, folder in folders.items():
        n = int(np.load(folder / "n.npy")[0])
        m = len(np.load(folder / "source.npy", mmap_mode="r"))
        say(f"\nrunning {', '.join(pipelines)} on {name} ({n:,} nodes, {m:,} relationships)")
        results = {p: run_child(p, folder, args) for p in pipelines}
        for key, value in report(name, n, results, args, say).items():
            better_high = key == "vs_networkx"
            if key not in worst or (value < worst[key] if better_high else value > worst[key]):
                worst[key] = value
    x = worst.get("vs_networkx", float("nan"))
    say(f"analysis: vs_networkx={x:.1f} vs_igraph={worst['vs_igraph']:.2f} "
        f"modularity_gap={worst['modularity_gap']:.4f} mem_vs_igraph={worst['mem_vs_igraph']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
