"""Benchmark the synthetic generator at the benchmark scale (about one million relationships).

Times ``loaders.generator.generate`` (build the frames and write CSV) and, as a reference in the
same process, writing the same already-built frames with plain ``DataFrame.to_csv``.  The best
of ``--repeats`` runs of each is reported; the last line is machine-readable::

    generate: rels_per_s=<relationships per second> vs_bare_write=<generate time / bare write time>

Run from the repository root::

    python bench/generate.py --scale 10000 --repeats 3
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

from graphkit import model  # noqa: E402
from loaders.generator import generate, generate_frames  # noqa: E402

KINDS: tuple[model.NodeKind | model.RelKind, ...] = (*model.NODE_KINDS, *model.REL_KINDS)


def bare_write(frames: dict, out: Path) -> float:
    """Seconds to write every frame with a plain ``to_csv``."""
    start = time.perf_counter()
    for kind in KINDS:
        frames[kind.file].to_csv(out / f"{kind.file}.csv", index=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000, help="creators (default 10000: ~1.1M relationships)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measurement; the best counts")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    gen_times, frame_times, bare_times = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        gen_dir, bare_dir = Path(tmp) / "generate", Path(tmp) / "bare"
        bare_dir.mkdir()
        for _ in range(args.repeats):
            start = time.perf_counter()
            summary = generate(args.scale, seed=args.seed, out=gen_dir)
            gen_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            frames = generate_frames(args.scale, seed=args.seed)
            frame_times.append(time.perf_counter() - start)
            bare_times.append(bare_write(frames, bare_dir))
        size = sum(p.stat().st_size for p in gen_dir.iterdir())

    gen, build, bare = min(gen_times), min(frame_times), min(bare_times)
    rels = summary.total_relationships
    nodes = sum(summary.nodes.values())
    print(f"scale {args.scale}: {rels:,} relationships, {nodes:,} nodes, {size / 1e6:.1f} MB of CSV")
    print(f"generate (frames + CSV): {gen:.2f} s best of {args.repeats}  (frames alone {build:.2f} s)")
    print(f"bare DataFrame.to_csv of the same frames: {bare:.2f} s")
    print(f"generate: rels_per_s={rels / gen:.0f} vs_bare_write={gen / bare:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
