"""The validated load of the benchmark dataset, before and after a change, in one run.

A git worktree of ``--base`` (default ``HEAD~1``; for a change of several commits pass the
commit before the first of them, e.g. ``--base 204edbc``) is compared with this working tree.
The dataset is generated once with this tree's generator (scale 10000: about 1.1M
relationships, CSV).  Each run is a fresh subprocess importing graphkit and loaders from one
tree (PYTHONPATH and cwd; the imported paths are checked) and times, from the dataset folder
to the last write: ``loaders.read_dataset`` (reading, validation, pseudonymisation with one
fixed key) then ``store.load`` with the key fingerprint, and ``save()`` for the embedded store
(always into a folder that does not exist yet).  A Neo4j run first empties the database
(``clear()``, untimed; constraints stay).  Neo4j: ``--neo4j-uri``, else
``$GRAPHKIT_TEST_NEO4J_URI`` (credentials ``$NEO4J_USER``/``$NEO4J_PASSWORD``), else a server
started here with scripts/neo4j (heap and page cache ``$BENCH_HEAP``/``$BENCH_PAGECACHE``,
default 2g/1g) and stopped at the end.  After ``--warmup`` untimed loads per store (the first
load on a server warms its JIT), runs alternate before, after, before, after, ...; the best of
``--repeats`` counts.  Each store gets a line ``<store>: before=.. after=.. ratio=..`` and the last line is
``load: vs_before=<x>``, x the worst after/before ratio over the stores.  Usage::

    python bench/load.py [--base REV] [--scale 10000] [--repeats 3] [--stores embedded,neo4j]
                         [--neo4j-uri URI] [--warmup 1]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import loaders  # noqa: E402

KEY = "bench-load-key-0123456789"
STORES = ("embedded", "neo4j")

# Runs in the child, against the public API both trees have.
CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
import graphkit, loaders
from graphkit import Pseudonymiser
store_kind, dataset, target = sys.argv[1:4]
if store_kind == "embedded":
    from graphkit.stores.embedded import EmbeddedStore
    store = EmbeddedStore(Path(target))
else:
    from graphkit.stores.neo4j import Neo4jStore
    store = Neo4jStore(target)
    store.clear()
start = time.perf_counter()
p = Pseudonymiser(os.environ["BENCH_LOAD_KEY"].encode())
data = loaders.read_dataset(dataset, pseudonymise=p)
store.load(data.nodes, data.relationships, key_fingerprint=p.fingerprint)
if store_kind == "embedded":
    store.save()
elapsed = time.perf_counter() - start
counts = store.counts()
store.close()
print(json.dumps({"seconds": elapsed, "counts": counts, "graphkit": graphkit.__file__, "loaders": loaders.__file__,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout.strip()


def run_child(tree: Path, store: str, dataset: Path, target: str, env: dict[str, str]) -> dict:
    child_env = {**env, "PYTHONPATH": str(tree), "BENCH_LOAD_KEY": KEY, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, "-c", CHILD, store, str(dataset), target], cwd=tree, env=child_env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"load into {store} from {tree} failed (exit {proc.returncode})")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    for module in ("graphkit", "loaders"):  # the tree's own code, not the installed checkout
        if not Path(result[module]).resolve().is_relative_to(tree.resolve()):
            raise SystemExit(f"{module} came from {result[module]}, not from {tree}")
    return result


def start_neo4j(work: Path, env: dict[str, str]) -> tuple[str, dict[str, str]]:
    env = {**env, "GRAPHKIT_NEO4J_RUN": str(work / "neo4j"), "GRAPHKIT_NEO4J_DATA": str(work / "neo4j" / "data"),
           "NEO4J_PASSWORD": secrets.token_urlsafe(24), "NEO4J_USER": "neo4j",
           "GRAPHKIT_NEO4J_HEAP": env.get("BENCH_HEAP", "2g"),
           "GRAPHKIT_NEO4J_PAGECACHE": env.get("BENCH_PAGECACHE", "1g")}
    uri = subprocess.run([str(ROOT / "scripts" / "neo4j"), "start"], env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    return uri, env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD~1", help="the commit before the change (default HEAD~1)")
    parser.add_argument("--scale", type=int, default=10_000, help="creators (default 10000: ~1.1M relationships)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per tree and store; the best counts")
    parser.add_argument("--warmup", type=int, default=1, help="untimed loads per store first (default 1)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stores", default=",".join(STORES), help="comma list of embedded, neo4j")
    parser.add_argument("--neo4j-uri", default=os.environ.get("GRAPHKIT_TEST_NEO4J_URI"))
    args = parser.parse_args(argv)
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    if not stores or set(stores) - set(STORES):
        parser.error(f"--stores: a comma list of {', '.join(STORES)}")
    if args.repeats < 1 or args.warmup < 0:
        parser.error("--repeats must be at least 1 and --warmup at least 0")
    try:
        base = git("rev-parse", "--verify", "--quiet", args.base + "^{commit}")
    except subprocess.CalledProcessError:
        parser.error(f"--base: no commit {args.base!r}")

    work = Path(tempfile.mkdtemp(prefix="graphkit-bench-load-"))
    before = work / "before"
    env = dict(os.environ)
    own_server = None
    try:
        git("worktree", "add", "--detach", str(before), base)
        trees = {"before": before, "after": ROOT}
        head = git("rev-parse", "--short", "HEAD")
        dirty = " + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
        print(f"before: {base[:12]} ({git('log', '-1', '--format=%s', base)[:60]}) in {before}")
        print(f"after:  this tree {ROOT}, HEAD {head}{dirty}")
        dataset = work / "dataset"
        summary = loaders.generate(args.scale, args.seed, dataset)
        print(f"dataset: scale {args.scale}, {summary.total_relationships:,} relationships, "
              f"{sum(summary.nodes.values()):,} nodes (CSV)", flush=True)
        uri = args.neo4j_uri
        if "neo4j" in stores and not uri:
            uri, env = start_neo4j(work, env)
            own_server = env
            print(f"neo4j: started a server of its own at {uri}", flush=True)

        runs = 0

        def load(tree: str, store: str) -> dict:
            nonlocal runs
            runs += 1
            target = str(work / f"store-{runs}") if store == "embedded" else uri
            try:
                return run_child(trees[tree], store, dataset, target, env)
            finally:
                if store == "embedded":
                    shutil.rmtree(target, ignore_errors=True)

        best: dict[tuple[str, str], float] = {}
        counts: dict[str, dict] = {}
        for store in stores:
            for i in range(args.warmup):
                result = load("before", store)
                print(f"{store} warm-up {i + 1}: {result['seconds']:.2f}s (untimed)", flush=True)
            for repeat in range(args.repeats):
                for tree in ("before", "after"):
                    result = load(tree, store)
                    if counts.setdefault(store, result["counts"]) != result["counts"]:
                        raise SystemExit(f"{store}: {tree} loaded {result['counts']}, expected {counts[store]}")
                    key = (tree, store)
                    best[key] = min(best.get(key, float("inf")), result["seconds"])
                    print(f"{store} {repeat + 1} {tree:6s} {result['seconds']:8.2f}s  peak RSS "
                          f"{result['maxrss_mb']:7.0f} MB  ({Path(result['graphkit']).parent})", flush=True)
    finally:
        if own_server is not None:
            subprocess.run([str(ROOT / "scripts" / "neo4j"), "stop"], env=own_server, capture_output=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)], capture_output=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)

    ratios = []
    for store in stores:
        b, a = best[("before", store)], best[("after", store)]
        ratios.append(a / b)
        print(f"{store}: before={b:.2f}s after={a:.2f}s ratio={a / b:.2f}  (best of {args.repeats}; "
              f"{sum(counts[store].values()):,} nodes and relationships)")
    print(f"load: vs_before={max(ratios):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
