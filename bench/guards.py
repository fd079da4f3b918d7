"""Measure the rates behind graphkit's size guards on this machine and compare them with the
constants in ``graphkit/analysis/_guard.py``.

A guard estimates a call's time as its work (``search_work``: searches times nodes plus
edges) over a measured rate, and admits it when that is at most ``SECONDS`` (two minutes).
For every guard in ``RATES`` (an engine and a computation) this script runs the computation
through graphkit's public function, ``force=True``, on seeded random graphs of average
degree 10 (integer weights 1-4), growing the graph by a factor of about 1.4 in nodes until
one run takes at least ``--seconds``, and prints the steps a second of each run.  A guard's
measured rate is the slowest of its runs of at least a quarter of ``--seconds`` (small runs
are dominated by fixed costs and would flatter nothing).  Graphs are built and their caches
(merged edges, NetworKit graph, networkx view) filled before the clock starts.

Each guard's line ends with ``ratio`` = measured rate / the constant.  A ratio below 1 means
the constant is too optimistic: a call the guard admits could take longer than two minutes
here.  The last line is::

    guards: worst_ratio=<x> best_ratio=<y> threads=<t>

``--verify`` then runs a guarded call on a graph just under its budget (the guard admits it
without ``force``) and prints how long it took, which should be at most two minutes: exact
betweenness on each engine by default, or the guards named (``networkit:closeness``...);
about two minutes each.  The small graphs of the default run fit in cache and flatter
NetworKit's searches: just under the budget they ran at two thirds of those rates, so the
constants are calibrated from the ``--verify`` runs where they are lower.

Run from the repository root (about two minutes on 2 cores)::

    python bench/guards.py
    python bench/guards.py --only none --verify fast:betweenness fast:harmonic
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path
from typing import Protocol

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graphkit import Graph, betweenness, closeness, harmonic  # noqa: E402
from graphkit.analysis._guard import MAX_WORK, RATES, SECONDS, search_work  # noqa: E402

#: Average degree of the random graphs.
DEGREE = 10
#: Sources of the sampled guards (the work grows with the graph, not with k).
SAMPLE = 100


def random_graph(n: int, seed: int = 0) -> Graph:
    """A projection of ``n`` nodes and ``DEGREE * n / 2`` random edges, weights 1-4."""
    rng = np.random.default_rng(seed)
    m = DEGREE * n // 2
    s, t = rng.integers(0, n, m), rng.integers(0, n, m)
    return Graph(np.arange(n).astype(str).astype(object), np.full(n, "Node", dtype=object), s, t,
                 rng.integers(1, 5, m).astype(np.float64), np.full(m, "LINKS", dtype=object))


class Run(Protocol):
    """A guarded computation on ``g``; ``force=False`` lets its guard refuse."""

    def __call__(self, g: Graph, force: bool = True) -> object: ...


def _guards() -> dict[tuple[str, str], tuple[Run, bool, int | None]]:
    """Per (engine, guard): the call, whether it is weighted, the sources it searches from
    (``None``: every node)."""
    def call(function, engine: str, **options) -> Run:
        def run(g: Graph, force: bool = True) -> object:
            return function(g, engine=engine, force=force, **options)

        return run

    found: dict[tuple[str, str], tuple[Run, bool, int | None]] = {}
    for engine in ("fast", "reference"):
        found[(engine, "betweenness")] = (call(betweenness, engine), False, None)
        found[(engine, "weighted betweenness")] = (call(betweenness, engine, weight="weight"), True, None)
        found[(engine, "closeness")] = (call(closeness, engine), False, None)
        found[(engine, "weighted closeness")] = (call(closeness, engine, weight="weight"), True, None)
        found[(engine, "harmonic")] = (call(harmonic, engine), False, None)
        found[(engine, "weighted harmonic")] = (call(harmonic, engine, weight="weight"), True, None)
        found[(engine, "sampled betweenness")] = (call(betweenness, engine, k=SAMPLE), False, SAMPLE)
    found[("reference", "weighted sampled betweenness")] = (
        call(betweenness, "reference", k=SAMPLE, weight="weight"), True, SAMPLE)
    return found


#: Every guarded computation, as the script measures it.
GUARDS = _guards()


def _prepare(g: Graph, engine: str, weighted: bool) -> tuple[int, int]:
    s, _, _ = g.merged_edges()
    if engine == "fast":
        g.to_networkit(weighted=weighted)
    else:
        g.to_networkx()
    return g.number_of_nodes(), len(s)


def measure(engine: str, guard: str, seconds: float, start: int) -> tuple[float, list[tuple[int, int, float, float]]]:
    """The measured rate of a guard and its runs: (n, m, elapsed, steps a second)."""
    run, weighted, sources = GUARDS[(engine, guard)]
    runs = []
    n = max(start, SAMPLE)
    while True:
        g = random_graph(n)
        n_, m = _prepare(g, engine, weighted)
        began = time.perf_counter()
        run(g)
        elapsed = time.perf_counter() - began
        work = search_work(sources or n_, n_, m)
        runs.append((n_, m, elapsed, work / elapsed))
        if elapsed >= seconds or n > 5_000_000:
            break
        n = int(n * math.sqrt(2))
    timed = [r for r in runs if r[2] >= seconds / 4] or runs[-1:]
    return min(r[3] for r in timed), runs


def verify(engine: str, guard: str) -> tuple[int, int, float, float]:
    """A guarded call on a graph just under its budget, the guard not forced:
    (nodes, edges, work, seconds)."""
    run, weighted, sources = GUARDS[(engine, guard)]
    if sources is not None:
        raise SystemExit(f"--verify takes the guards that search from every node, not {guard!r}")
    budget = MAX_WORK[engine][guard]
    n = int(math.sqrt(0.97 * budget / (1 + DEGREE / 2)))
    while True:  # merged edges are a little fewer than drawn: step down until under the budget
        g = random_graph(n)
        n_, m = _prepare(g, engine, weighted)
        if search_work(n_, n_, m) <= budget:
            break
        n = int(n * 0.99)
    began = time.perf_counter()
    run(g, False)  # no force: the guard must admit it
    return n_, m, search_work(n_, n_, m), time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="stop growing a guard's graph once a run "
                        "takes this long (default 2)")
    parser.add_argument("--verify", nargs="*", metavar="ENGINE:GUARD", default=None,
                        help="then time a call just under the budget of each guard named (default: exact "
                        "betweenness on both engines), about two minutes each")
    parser.add_argument("--only", default=None, help="measure only guards whose name contains this "
                        "(--only none measures none)")
    args = parser.parse_args()

    import networkit as nk

    threads = nk.getMaxNumberOfThreads()
    print(f"guards on {os.cpu_count()} cores, NetworKit threads {threads}; random graphs of average degree "
          f"{DEGREE}; budget {SECONDS:.0f} s")
    print(f"{'engine':<10} {'guard':<29} {'runs: nodes (seconds)':<44} {'steps/s':>9} {'constant':>9} {'ratio':>6}")
    ratios = []
    for (engine, guard) in GUARDS:
        if args.only and args.only not in guard:
            continue
        start = 1000 if engine == "fast" else 200
        rate, runs = measure(engine, guard, args.seconds, start)
        constant = RATES[engine][guard]
        ratios.append(rate / constant)
        shown = " ".join(f"{n}({elapsed:.1f})" for n, _, elapsed, _ in runs)
        print(f"{engine:<10} {guard:<29} {shown:<44} {rate:9.2e} {constant:9.0e} {rate / constant:6.2f}", flush=True)
    missing = {(e, g) for e, rates in RATES.items() for g in rates} - set(GUARDS)
    if missing:
        print(f"not measured (no call defined here): {sorted(missing)}")
    if args.verify is not None:
        chosen = [tuple(name.split(":", 1)) for name in args.verify] or [("fast", "betweenness"),
                                                                          ("reference", "betweenness")]
        for engine, guard in chosen:
            n, m, work, elapsed = verify(engine, guard)
            print(f"verify: {engine} {guard}, {n:,} nodes, {m:,} edges, {work:.2e} steps (budget "
                  f"{MAX_WORK[engine][guard]:.2e}): admitted, took {elapsed:.1f} s, {work / elapsed:.2e} steps/s "
                  f"(target <= {SECONDS:.0f} s)", flush=True)
    if ratios:
        print(f"guards: worst_ratio={min(ratios):.2f} best_ratio={max(ratios):.2f} threads={threads}")


if __name__ == "__main__":
    main()
