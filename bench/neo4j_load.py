"""Loading into Neo4j and projecting out of it, against references in the same run.

One server (started here with scripts/neo4j, its own run folder), the generator's
benchmark dataset (scale 10000, about 1.1M relationships).  Each load goes into an
emptied database with the constraints recreated; the order alternates over repeats.

- graphkit: ``graphkit load --neo4j``'s path, ``loaders.stream_dataset`` (reading,
  validation, pseudonymisation, a chunk at a time, two passes) then ``Neo4jStore.load``,
  timed from the dataset folder to the last commit;
- LOAD CSV: the same validated rows, written beforehand as CSV into the server's import
  folder, loaded with the same MERGE pattern and constraints, in
  ``CALL {} IN TRANSACTIONS OF 10000 ROWS``;
- bulk: ``graphkit load --neo4j --bulk``'s path (``loaders.stream_dataset`` writing the
  import files as it validates, then ``graphkit.stores.bulk.bulk_import``: the server stopped, Neo4j's offline
  importer, the server started, constraints, key and derived properties), timed from the
  dataset folder, validation included, to a queryable database;
- naive: one auto-commit MERGE per row over a sample of ENGAGES_WITH rows;
- projection: ``Neo4jStore.project`` of the whole graph against a bare driver loop
  (``session.run(q)``, iterating the records) over the same rows.

Each load's row also gives the client memory it added (its peak RSS less the RSS before it;
the bench itself holds the validated dataset for its checks, so that is left out).
Ends with ``neo4j_load: vs_load_csv=<x> vs_naive=<y> projection_vs_bare_read=<z>
bulk_vs_load_csv=<b>``: x = graphkit rate / LOAD CSV rate, y = graphkit rate / naive rate,
z = projection time / bare read time, b = bulk rate / LOAD CSV rate; rates are the best of the repeats (the first load on a fresh server also
warms its JIT).  Usage: ``python bench/neo4j_load.py [--scale 10000] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import loaders  # noqa: E402
from graphkit import Pseudonymiser, model  # noqa: E402
from graphkit.cypher import load_query  # noqa: E402
from graphkit.stores.bulk import ImportWriter, bulk_import  # noqa: E402
from graphkit.stores.neo4j import Neo4jStore, _plain  # noqa: E402

KEY = b"bench-key-0123456789"
_CONVERT = {"integer": "toInteger({v})", "float": "toFloat({v})", "boolean": "toBoolean({v})",
            "enum_list": "CASE WHEN {v} IS NULL THEN [] ELSE split({v}, ';') END"}


def _props(kind: model.NodeKind | model.RelKind) -> str:
    parts = [f"{p.name}: {_CONVERT.get(p.type, '{v}').format(v='row.' + p.name)}" for p in kind.properties]
    return "{" + ", ".join(parts) + "}"


def load_csv_statement(kind: model.NodeKind | model.RelKind) -> str:
    """The LOAD CSV twin of the kind's merge statement (labels and types from the model)."""
    head = f"LOAD CSV WITH HEADERS FROM 'file:///{kind.file}.csv' AS row\nCALL (row) {{\n"
    if isinstance(kind, model.NodeKind):
        body = f"  MERGE (n:{kind.label} {{id: row.id}})\n  SET n += {_props(kind)}\n"
    else:
        body = (f"  MATCH (s:{kind.source} {{id: row.source_id}})\n  MATCH (t:{kind.target} {{id: row.target_id}})\n"
                f"  MERGE (s)-[e:{kind.type}]->(t)\n  SET e += {_props(kind)}\n")
    return head + body + "} IN TRANSACTIONS OF 10000 ROWS"


def prepare_import(data: loaders.Dataset, folder: Path) -> None:
    """The validated, pseudonymised rows as CSV files in the server's import folder."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = {**{k.file: data.nodes[k.label] for k in model.NODE_KINDS},
              **{r.file: data.relationships[r.type] for r in model.REL_KINDS}}
    for name, frame in frames.items():
        out = frame.copy()
        for col in out.columns:
            if out[col].map(lambda v: isinstance(v, list)).any():
                out[col] = out[col].map(lambda v: ";".join(v) if v else None)
        out.to_csv(folder / f"{name}.csv", index=False)


def drop_constraints(store: Neo4jStore) -> None:
    with store._session() as session:  # benchmark housekeeping, not part of the toolkit
        for name in [r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")]:
            session.run(f"DROP CONSTRAINT `{name}`").consume()


def reset(store: Neo4jStore) -> None:
    """Empty the database, drop every constraint, recreate graphkit's."""
    store.clear()
    drop_constraints(store)
    store.ensure_schema()


def run_graphkit(store: Neo4jStore, dataset: Path) -> float:
    """``graphkit load --neo4j``'s path: the streamed two passes, then the batches."""
    start = time.perf_counter()
    store.load(loaders.stream_dataset(dataset, pseudonymise=Pseudonymiser(KEY)))
    return time.perf_counter() - start


def _status_mb(field: str) -> float:
    """A ``/proc/self/status`` memory figure (``VmRSS``, ``VmHWM``) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measured(run: Callable[[], float]) -> tuple[float, float]:
    """``run()``'s seconds and the client memory it added: its peak RSS less the RSS before it (MB).

    The peak is reset first (``/proc/self/clear_refs``), so each load is measured on its own
    although the bench process holds the whole validated dataset for its checks.
    """
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_mb("VmRSS")
    elapsed = run()
    return elapsed, _status_mb("VmHWM") - before


#: The bulk path's steps, in the order they run (stop overlaps write: its own time, and the wait left after it).
BULK_STEPS = ("validate", "write", "stop", "stop_wait", "backup", "import", "start", "finish")
BULK_STEP_TIMES: list[dict[str, float]] = []


def run_bulk(store: Neo4jStore, dataset: Path, work: Path) -> float:
    """From the folder to a queryable database, as ``graphkit load --bulk``: validation writing the
    import files (``validate`` includes them; ``write`` is 0 unless rows were rejected), importer,
    restart, schema."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-import-", dir=work) as tmp:
        with ImportWriter(tmp) as writer:
            data = loaders.stream_dataset(dataset, pseudonymise=Pseudonymiser(KEY), on_chunk=writer)
        steps = {"validate": time.perf_counter() - start}
        bulk_import(store, data, files=writer.files, workdir=work, timings=steps)
    BULK_STEP_TIMES.append(steps)
    return time.perf_counter() - start


def bulk_steps(steps: dict[str, float]) -> str:
    """``validate 4.6 write 1.0 ...`` (seconds), in the order the steps run."""
    return " ".join(f"{name} {steps[name]:.1f}" for name in BULK_STEPS if name in steps)


def run_load_csv(store: Neo4jStore) -> float:
    start = time.perf_counter()
    with store._session() as session:
        kinds: tuple[model.NodeKind | model.RelKind, ...] = (*model.NODE_KINDS, *model.REL_KINDS)
        for kind in kinds:
            session.run(load_csv_statement(kind)).consume()
    return time.perf_counter() - start


def run_naive(store: Neo4jStore, data: loaders.Dataset, rows: int) -> tuple[float, int]:
    """One auto-commit MERGE per row, over the first ``rows`` ENGAGES_WITH rows (nodes loaded first)."""
    reset(store)
    store.load(data.nodes, {}, key_fingerprint=Pseudonymiser(KEY).fingerprint)
    rel = model.ENGAGES_WITH
    text = (f"MATCH (s:{rel.source} {{id: $source_id}}) MATCH (t:{rel.target} {{id: $target_id}})\n"
            f"MERGE (s)-[e:{rel.type}]->(t) SET e += $props")
    sample = data.relationships[rel.type].head(rows)
    props = [p.name for p in rel.properties]
    records = [{"source_id": r[0], "target_id": r[1], "props": {k: _plain(v) for k, v in zip(props, r[2:])}}
               for r in sample[list(rel.columns)].itertuples(index=False)]
    start = time.perf_counter()
    with store._session() as session:
        for record in records:
            session.run(text, record).consume()
    return time.perf_counter() - start, len(records)


def bare_edge_statement(rel: model.RelKind) -> str:
    """The plain one-row-per-relationship read of the same edges."""
    return (f"MATCH (s:{rel.source})-[e:{rel.type}]->(t:{rel.target})\n"
            "RETURN s.id AS source_id, t.id AS target_id, coalesce(toFloat(e[$weight_property]), 1.0) AS weight")


def run_bare_read(store: Neo4jStore) -> float:
    start = time.perf_counter()
    with store._session(read=True) as session:
        for kind in model.NODE_KINDS:
            for record in session.run(load_query(f"project_{kind.file}").text):
                record.values()
        for rel in model.REL_KINDS:
            params = {"weight_property": model.ANALYSIS_WEIGHTS[rel.type].property or ""}
            for record in session.run(bare_edge_statement(rel), params):
                record.values()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--naive-rows", type=int, default=10000)
    parser.add_argument("--data", type=Path, default=None,
                        help="the generated dataset's folder (default bench/data/scale-N, generated if missing)")
    parser.add_argument("--only", choices=["load_csv", "bulk"], nargs="+", default=None,
                        help="run only these loads (and no projection or naive run); the last line then says n/a")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="graphkit-bench-neo4j-"))
    dataset = args.data or ROOT / "bench" / "data" / f"scale-{args.scale}"
    if not (dataset / "creators.csv").exists():
        loaders.generate(args.scale, 0, dataset)
    data = loaders.read_dataset(dataset, pseudonymise=Pseudonymiser(KEY))
    rows = sum(data.counts().values())
    prepare_import(data, work / "import")
    (work / "neo4j.conf").write_text(f"server.directories.import={work / 'import'}\n")
    password = secrets.token_urlsafe(16)
    env = {**os.environ, "GRAPHKIT_NEO4J_RUN": str(work / "run"), "NEO4J_PASSWORD": password,
           "GRAPHKIT_NEO4J_CONF": str(work / "neo4j.conf"), "GRAPHKIT_NEO4J_HEAP": os.environ.get("BENCH_HEAP", "2g"),
           "GRAPHKIT_NEO4J_PAGECACHE": os.environ.get("BENCH_PAGECACHE", "1g")}
    # The bulk path restarts the server through scripts/neo4j with the environment it inherits.
    os.environ.update({k: v for k, v in env.items() if k.startswith(("GRAPHKIT_NEO4J_", "NEO4J_"))})
    uri = subprocess.run([str(ROOT / "scripts" / "neo4j"), "start"], env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    try:
        store = Neo4jStore(uri, password=password)
        times: dict[str, list[float]] = {"graphkit": [], "load_csv": [], "bulk": []}
        runs = {"graphkit": lambda: run_graphkit(store, dataset), "load_csv": lambda: run_load_csv(store),
                "bulk": lambda: run_bulk(store, dataset, work)}
        wanted = set(args.only or runs)
        for repeat in range(args.repeats):
            order = ["graphkit", "load_csv", "bulk"] if repeat % 2 == 0 else ["bulk", "load_csv", "graphkit"]
            for name in [n for n in order if n in wanted]:
                reset(store)
                if name == "bulk":  # a new, empty database: no constraint either (the import replaces it)
                    drop_constraints(store)
                elapsed, added = measured(runs[name])
                assert store.counts() == data.counts(), f"{name} loaded {store.counts()}"
                times[name].append(elapsed)
                steps = f"  [{bulk_steps(BULK_STEP_TIMES[-1])}]" if name == "bulk" else ""
                print(f"repeat {repeat + 1} {name:9s} {elapsed:8.2f} s  {rows / elapsed:10.0f} rows/s"
                      f"  client +{added:5.0f} MB{steps}", flush=True)
        projection, bare = [], []
        naive_time, naive_rows = float("nan"), 0
        if args.only is None:
            for repeat in range(args.repeats):
                for name in (["project", "bare"] if repeat % 2 == 0 else ["bare", "project"]):
                    start = time.perf_counter()
                    if name == "project":
                        graph = store.analysis_graph("whole")
                        projection.append(time.perf_counter() - start)
                        assert graph.number_of_edges() == sum(data.counts()[r.type] for r in model.REL_KINDS)
                    else:
                        bare.append(run_bare_read(store))
            institution = data.nodes[model.INSTITUTION.label][model.ID].iloc[0]
            start = time.perf_counter()
            reach = store.query("institution_reach", institution=institution, k=6)
            reach_time = time.perf_counter() - start
            print(f"institution_reach k=6 from {institution}: {reach_time:.2f} s; "
                  f"viewers by hop {reach['viewers'].tolist()}", flush=True)
            naive_time, naive_rows = run_naive(store, data, args.naive_rows)
        store.close()
    finally:
        subprocess.run([str(ROOT / "scripts" / "neo4j"), "stop"], env=env, capture_output=True)
    report(args, rows, times, projection, bare, naive_time, naive_rows)


def report(args: argparse.Namespace, rows: int, times: dict[str, list[float]], projection: list[float],
           bare: list[float], naive_time: float, naive_rows: int) -> None:
    """The summary lines; a ratio whose runs were left out (--only) reads n/a."""
    best = {name: min(t) if t else float("nan") for name, t in times.items()}
    gk, lc, bk = best["graphkit"], best["load_csv"], best["bulk"]
    gk_rate, lc_rate = rows / gk, rows / lc
    naive_rate = naive_rows / naive_time if naive_rows else float("nan")
    print(f"rows {rows}; best of {args.repeats}: graphkit {gk:.2f} s ({gk_rate:.0f} rows/s), "
          f"LOAD CSV {lc:.2f} s ({lc_rate:.0f} rows/s); naive {naive_rows} rows in {naive_time:.2f} s "
          f"({naive_rate:.0f} rows/s)")
    if times["bulk"]:
        steps = BULK_STEP_TIMES[times["bulk"].index(bk)]
        print(f"bulk import {bk:.2f} s ({rows / bk:.0f} rows/s), validation and server restart included; "
              f"steps (s, stop overlaps write): {bulk_steps(steps)}")
    if projection:
        print(f"projection {min(projection):.2f} s, bare driver read {min(bare):.2f} s")
    shown = min(projection) / min(bare) if projection else float("nan")

    def ratio(value: float, digits: int) -> str:
        return "n/a" if value != value else f"{value:.{digits}f}"  # nan: not measured in this run

    print(f"neo4j_load: vs_load_csv={ratio(gk_rate / lc_rate, 2)} vs_naive={ratio(gk_rate / naive_rate, 1)} "
          f"projection_vs_bare_read={ratio(shown, 2)} bulk_vs_load_csv={ratio(lc / bk, 2)}")

if __name__ == "__main__":
    main()
