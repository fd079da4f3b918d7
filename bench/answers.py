"""``graphkit.answers(store)`` against ``analysis_graph`` + ``graphkit.analyze`` on the same store.

The benchmark dataset (``--scale 10000``, seed 0, about 1.1M relationships) is generated,
loaded and saved once as an embedded store (in ``--cache``, reused when present).  Then each
side runs in a fresh child process that opens the saved store, alternating the order,
``--repeats`` times; the best wall time of each counts (opening the store is not timed):

- answers: ``graphkit.answers(store)``, every projection included;
- analyze: ``store.analysis_graph("whole")`` plus ``graphkit.analyze`` of it.

Each child reports its peak resident memory (``ru_maxrss``).  The last line is::

    answers: vs_analyze=<x> peak_mb=<m>

x = answers' best time / analyze's best time (target x <= 1.5), m = the answers child's
peak memory, MB (the store's own frames included).
Usage: ``python bench/answers.py [--scale 10000] [--repeats 3] [--cache DIR]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEY = b"bench-key-0123456789"


def prepare(folder: Path, scale: int) -> Path:
    """The saved embedded store of the benchmark dataset (built once)."""
    store_path = folder / f"store-{scale}"
    if (folder / f"ready-{scale}").exists():
        return store_path
    import graphkit
    import loaders

    dataset = folder / f"dataset-{scale}"
    print(f"generating and loading the benchmark dataset (scale {scale}, seed 0)", file=sys.stderr)
    loaders.generate(scale, 0, dataset)
    data = loaders.read_dataset(dataset, pseudonymise=graphkit.Pseudonymiser(KEY))
    store = graphkit.EmbeddedStore(store_path)
    store.load(data)
    store.save()
    (folder / f"ready-{scale}").write_text("ok\n")
    return store_path


def child(side: str, store_path: str) -> None:
    """Run one side on the saved store; print its time and peak memory as JSON."""
    import graphkit

    store = graphkit.EmbeddedStore.open(store_path)
    start = time.perf_counter()
    if side == "answers":
        graphkit.answers(store, seed=0)
    else:
        graphkit.analyze(store.analysis_graph("whole"), seed=0)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"side": side, "seconds": seconds, "peak_mb": peak}))


def run(side: str, store_path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", side, str(store_path)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "graphkit-bench-answers")
    parser.add_argument("--child", nargs=2, metavar=("SIDE", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    args.cache.mkdir(parents=True, exist_ok=True)
    store_path = prepare(args.cache, args.scale)
    runs: dict[str, list[dict]] = {"answers": [], "analyze": []}
    for i in range(args.repeats):
        for side in (("answers", "analyze") if i % 2 == 0 else ("analyze", "answers")):
            runs[side].append(run(side, store_path))
            r = runs[side][-1]
            print(f"  run {i + 1} {side}: {r['seconds']:.1f} s, peak {r['peak_mb']:.0f} MB", file=sys.stderr)
    best = {side: min(r["seconds"] for r in rs) for side, rs in runs.items()}
    peak = max(r["peak_mb"] for r in runs["answers"])
    print(f"scale {args.scale}: answers best {best['answers']:.1f} s, analyze best {best['analyze']:.1f} s "
          f"(best of {args.repeats}, alternating)")
    print(f"answers: vs_analyze={best['answers'] / best['analyze']:.2f} peak_mb={peak:.0f}")


if __name__ == "__main__":
    main()
