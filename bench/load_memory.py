"""Peak memory of ``graphkit load`` into Neo4j and into the embedded store, at growing scales.

For each scale (default the generator at 1000, 10000 and 100000 creators: about 0.1M, 1M
and 10M relationships, CSV) the dataset is generated once (``graphkit generate`` in a
subprocess, its own peak shown too), then ``graphkit -q load`` runs in a fresh subprocess per
store and its peak resident memory is read from the kernel (``wait4``'s ``ru_maxrss``).
Neo4j: an emptied database each time (``--neo4j-uri``, else ``$GRAPHKIT_TEST_NEO4J_URI`` with
``$NEO4J_PASSWORD``, else a server started here with scripts/neo4j and stopped at the end).
The embedded store's in-memory size is measured in another subprocess that opens the saved
store: the sum of ``memory_usage(deep=True)`` over its frames.  The interpreter's own share
of every peak (``graphkit -q --help``: Python and the modules ``import graphkit`` loads) is
measured first and shown as its own line.  The last line is::

    load_memory: neo4j_growth_10x=<g> embedded_vs_store_size=<e>

g = the Neo4j client's peak at the largest scale / its peak at the scale ten times smaller
(target <= 2); e = the embedded load's peak / the loaded store's in-memory size at the
largest scale (target <= 2).  Usage::

    python bench/load_memory.py [--scales 1000,10000,100000] [--stores neo4j,embedded] [--neo4j-uri URI]
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KEY = "bench-load-memory-key-0123456789"
EXE = Path(sys.executable).parent / "graphkit"

STORE_SIZE = r"""
import json, sys
from graphkit import EmbeddedStore, model
store = EmbeddedStore.open(sys.argv[1])
size = sum(int(f.memory_usage(deep=True).sum()) for f in [*store._nodes.values(), *store._rels.values()])
print(json.dumps({"bytes": size, "rows": sum(store.counts().values())}))
"""


def peak(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``command``; its peak RSS in MB, its wall time and its stderr's tail."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode(errors="replace")[-2000:]
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} ... failed (exit {proc.returncode}): {tail}")
    return usage.ru_maxrss / 1024, time.perf_counter() - start, tail


def start_neo4j(work: Path) -> tuple[str, dict[str, str]]:
    env = {**os.environ, "GRAPHKIT_NEO4J_RUN": str(work / "neo4j"), "GRAPHKIT_NEO4J_DATA": str(work / "neo4j" / "data"),
           "NEO4J_PASSWORD": secrets.token_urlsafe(24), "GRAPHKIT_NEO4J_HEAP": os.environ.get("BENCH_HEAP", "2g"),
           "GRAPHKIT_NEO4J_PAGECACHE": os.environ.get("BENCH_PAGECACHE", "1g")}
    env.pop("GRAPHKIT_NEO4J_PORT", None)
    uri = subprocess.run([str(ROOT / "scripts" / "neo4j"), "start"], env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    return uri, env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1000,10000,100000", help="generator scales, comma separated")
    parser.add_argument("--stores", default="neo4j,embedded", help="comma list of neo4j, embedded")
    parser.add_argument("--neo4j-uri", default=os.environ.get("GRAPHKIT_TEST_NEO4J_URI"))
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--work", help="folder for datasets and stores (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    scales = sorted(int(s) for s in args.scales.split(",") if s.strip())
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    if not scales or set(stores) - {"neo4j", "embedded"}:
        parser.error("--scales: integers; --stores: a comma list of neo4j, embedded")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="graphkit-bench-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GRAPHKIT_PSEUDONYM_KEY": KEY, "PYTHONPATH": str(ROOT)}
    own = None
    uri = args.neo4j_uri
    results: dict[tuple[str, int], dict] = {}
    try:
        if "neo4j" in stores and not uri:
            uri, own = start_neo4j(work)
            env["NEO4J_PASSWORD"] = own["NEO4J_PASSWORD"]
            print(f"neo4j: started a server of its own at {uri}", flush=True)
        print(f"{'scale':>7} {'relationships':>13} {'store':>9} {'peak MB':>8} {'seconds':>8}  note", flush=True)
        base, secs, _ = peak([str(EXE), "-q", "--help"], env)
        print(f"{'-':>7} {'-':>13} {'-':>9} {base:>8.0f} {secs:>8.1f}  interpreter baseline: graphkit -q --help",
              flush=True)
        for scale in scales:
            dataset = work / f"dataset-{scale}"
            if not (dataset / "engages_with.csv").exists():
                rss, secs, _ = peak([str(EXE), "-q", "generate", "--scale", str(scale), "--out", str(dataset)], env)
                note = "generate"
            else:
                rss, secs, note = 0.0, 0.0, "generate (reused)"
            rels = sum(1 for p in dataset.glob("*.csv") if p.stem not in
                       ("creators", "institutions", "topics", "viewers") for _ in open(p, "rb")) - 8
            size = sum(p.stat().st_size for p in dataset.glob("*.csv")) / 1e6
            print(f"{scale:>7} {rels:>13,} {'-':>9} {rss:>8.0f} {secs:>8.1f}  {note}, {size:.0f} MB of CSV", flush=True)
            for store in stores:
                if store == "neo4j":
                    from graphkit.stores.neo4j import Neo4jStore

                    with Neo4jStore(uri, password=env.get("NEO4J_PASSWORD")) as db:
                        db.clear()
                    command = [str(EXE), "-q", "load", str(dataset), "--neo4j", uri, "--batch-size",
                               str(args.batch_size)]
                else:
                    target = work / f"store-{scale}"
                    shutil.rmtree(target, ignore_errors=True)
                    command = [str(EXE), "-q", "load", str(dataset), "--store", str(target)]
                rss, secs, _ = peak(command, env)
                row = {"peak_mb": rss, "seconds": secs}
                note = ""
                if store == "embedded":
                    out = subprocess.run([sys.executable, "-c", STORE_SIZE, str(target)], env=env, check=True,
                                         capture_output=True, text=True).stdout
                    row["store_mb"] = json.loads(out)["bytes"] / 1e6
                    note = (f"store in memory {row['store_mb']:.0f} MB: peak/store {rss / row['store_mb']:.2f} "
                            f"(less the baseline: {(rss - base) / row['store_mb']:.2f})")
                    shutil.rmtree(target, ignore_errors=True)
                results[(store, scale)] = row
                print(f"{scale:>7} {rels:>13,} {store:>9} {rss:>8.0f} {secs:>8.1f}  {note}", flush=True)
    finally:
        if own is not None:
            subprocess.run([str(ROOT / "scripts" / "neo4j"), "stop"], env=own, capture_output=True)
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)

    top = scales[-1]
    g = e = float("nan")
    if "neo4j" in stores and len(scales) > 1:
        lower = scales[-2]
        g = results[("neo4j", top)]["peak_mb"] / results[("neo4j", lower)]["peak_mb"]
        print(f"neo4j client peak at scale {top} / at scale {lower}: {g:.2f}")
    if "embedded" in stores:
        e = results[("embedded", top)]["peak_mb"] / results[("embedded", top)]["store_mb"]
        print(f"embedded load peak / loaded store in memory at scale {top}: {e:.2f}")
    print(f"load_memory: neo4j_growth_10x={g:.2f} embedded_vs_store_size={e:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
