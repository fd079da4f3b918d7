"""Bulk import: a first load into a new, empty Neo4j database with Neo4j's offline importer.

Online loading sends every row through Cypher (``MERGE`` in batches); for a first load into
an empty database, Neo4j's own importer (``neo4j-admin database import full``, the
``org.neo4j:neo4j-import-tool`` jar on the test server's classpath) writes the store files
directly, many times faster.  The path, :func:`bulk_import`:

1. refuse unless the database holds no node and no relationship at all, and unless the
   server is the one ``scripts/neo4j`` started for the run folder (its URI file names the
   store's address): the importer must stop it, and only that script knows how;
2. write the validated, pseudonymised rows as import CSV files (:class:`ImportWriter`), a
   chunk at a time, so the client holds one chunk, whatever the dataset's size; file names,
   labels, types and typed headers (``id:ID(Creator)``, ``:START_ID(Viewer)``,
   ``views:long``...) come from the data model.  ``graphkit load --bulk`` writes them during
   validation (the writer is :func:`loaders.stream_dataset`'s ``on_chunk``) and uses them
   when the dataset has no rejects; otherwise they are written from
   :meth:`loaders.StreamedDataset.frames` (:func:`write_import_files`) while the server stops;
3. keep a copy of the empty database's folders, run the importer (``scripts/neo4j
   import``), start the server on the same port, then create the constraints and bind the
   pseudonym key's fingerprint, as an online load does (:func:`import_files`); the derived
   creator properties are in the creators' file already (:class:`ImportWriter` computes them
   as it writes), else they are computed in Cypher as after an online load.

If writing the files fails after the stop has begun, the server is started again with its
database as it was (empty), and the :class:`StoreError` says so; a dataset that fails
validation never reaches :func:`bulk_import`, so the server is never stopped for it.

If the importer fails or is killed, the empty database's folders are put back and the
server started again: the database is left empty, and the :class:`StoreError` says so.
The password never reaches the importer (it writes no users) nor any command line.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from graphkit import config, model
from graphkit.derive import INCOME_STREAMS, Activity
from graphkit.errors import ArgumentError, StoreError
from graphkit.stores._read_ahead import read_ahead
from graphkit.stores.base import LoadSummary
from graphkit.stores.neo4j import Neo4jStore

__all__ = ["ImportFiles", "ImportWriter", "bulk_import", "check_empty", "check_target", "header", "holds", "import_files",
           "write_import_files"]

Say = Callable[[str], None]

#: The importer's type of each model property type (dates are stored as YYYY-MM-DD text,
#: as the online load stores them; enum lists as string arrays, split at LIST_SEPARATOR).
IMPORT_TYPES = {"string": "string", "date": "string", "enum": "string", "enum_list": "string[]",
                "integer": "long", "float": "double", "boolean": "boolean"}

#: The repository's server script (graphkit is installed from the repository in development).
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "neo4j"

# Static statements without user values: every node and relationship, whatever its label.
_COUNT_NODES = "MATCH (n) RETURN count(n) AS count"
_COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS count"


def _quiet(message: str) -> None:
    """The default ``progress``: says nothing."""


def header(kind: model.NodeKind | model.RelKind) -> list[str]:
    """The importer's typed header of a kind's file, from the data model.

    Node ids live in one id space per label, which relationship ends name.

    Examples
    --------
    >>> header(model.FOLLOWS)
    [':START_ID(Viewer)', ':END_ID(Creator)', 'since:string']
    >>> header(model.CREATOR)[:2]
    ['id:ID(Creator)', 'name:string']
    """
    if isinstance(kind, model.NodeKind):
        ends = [f"{model.ID}:ID({kind.label})"]
    else:
        ends = [f":START_ID({kind.source})", f":END_ID({kind.target})"]
    return ends + [f"{p.name}:{IMPORT_TYPES[p.type]}" for p in kind.properties]


@dataclass
class ImportFiles:
    """Import files written by :func:`write_import_files`, one data file per kind with rows.

    Parameters
    ----------
    folder : Path
        Where they are.
    files : dict of str to Path
        By node label or relationship type: the data file (its header is ``<file>.header.csv``).
    rows : dict of str to int
        Rows written per kind.
    key_fingerprint : str or None
        The pseudonym key's fingerprint of the dataset they come from.
    derived : bool
        The creators' file holds the derived creator properties (``model.DERIVED_PROPERTIES``,
        computed by :class:`ImportWriter` from the files' own PUBLISHES_ON rows), so the
        import needs no ``derive_creator_activity`` afterwards.
    """

    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    key_fingerprint: str | None = None
    derived: bool = False

    def arguments(self) -> list[str]:
        """The importer's ``--nodes``/``--relationships`` arguments (labels and types from the model).

        Examples
        --------
        >>> files = ImportFiles(Path("/x"), {"Topic": Path("/x/topics.csv")}, {"Topic": 2})
        >>> files.arguments()
        ['--nodes=Topic=/x/topics.header.csv,/x/topics.csv']
        """
        out = []
        for name, path in self.files.items():
            flag = "--nodes" if name in _NODE_LABELS else "--relationships"
            out.append(f"{flag}={name}={_header_path(path)},{path}")
        return out


_NODE_LABELS = {k.label for k in model.NODE_KINDS}


def _header_path(path: Path) -> Path:
    return path.with_name(path.stem + ".header.csv")


def _kind(name: str) -> model.NodeKind | model.RelKind:
    return model.node_kind(name) if name in _NODE_LABELS else model.rel_kind(name)


#: The Arrow type each importer type is written from.
_ARROW_TYPES = {"string": pa.string(), "string[]": pa.list_(pa.string()), "long": pa.int64(),
                "double": pa.float64(), "boolean": pa.bool_()}
_PLAIN = pa_csv.WriteOptions(include_header=False, quoting_style="none")
_QUOTED = pa_csv.WriteOptions(include_header=False, quoting_style="needed")


def _import_table(frame: pd.DataFrame, kind: model.NodeKind | model.RelKind) -> pa.Table:
    """A chunk as an Arrow table in the kind's column order, typed for the importer, column by column.

    Enum lists are joined with :data:`model.LIST_SEPARATOR` (Arrow's ``binary_join``, no
    per-cell Python); empty text becomes missing, which is what an empty field means to the
    importer either way, so quoted and unquoted output read back the same.
    """
    columns = []
    ends = len(kind.columns) - len(kind.properties)  # id, or source_id and target_id: text
    types = [pa.string()] * ends + [_ARROW_TYPES[IMPORT_TYPES[p.type]] for p in kind.properties]
    for name, arrow_type in zip(kind.columns, types):
        values = frame[name] if name in frame.columns else pd.Series([None] * len(frame), dtype=object)
        column = pa.array(values, type=arrow_type, from_pandas=True)
        if pa.types.is_list(arrow_type):
            column = pc.binary_join(column, model.LIST_SEPARATOR)
        if pa.types.is_string(column.type):
            column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
        columns.append(column)
    return pa.table(columns, names=list(kind.columns))


def _write_table(table: pa.Table, handle: IO[bytes]) -> None:
    """Append a chunk as unquoted CSV, which the importer parses fastest, or quoted if it must be.

    The writer refuses a comma, quote or newline in a value unquoted, but only when it meets
    it, a batch at a time: each chunk goes to memory first, so a refused one leaves no half.
    """
    for options in (_PLAIN, _QUOTED):
        sink = pa.BufferOutputStream()
        try:
            pa_csv.write_csv(table, sink, options)
        except pa.ArrowInvalid:
            if options is _QUOTED:
                raise
            continue
        handle.write(memoryview(sink.getvalue()))
        return


class ImportWriter:
    r"""Writes chunks of validated rows as Neo4j import files, one file per kind, as they come.

    What :func:`write_import_files` writes with; also an ``on_chunk`` for
    :func:`loaders.stream_dataset`, which then writes the files during validation, so that a
    dataset without rejects needs no second pass (``graphkit load --bulk`` does this, then
    hands ``files`` to :func:`bulk_import`).  Each chunk goes through Arrow: typed columns,
    enum lists joined by Arrow compute, the CSV writer unquoted unless a value needs quotes.

    Parameters
    ----------
    folder : str or Path
        Created if missing; one ``<file>.csv`` and ``<file>.header.csv`` per kind with rows
        (the model's file names).
    progress : callable, optional
        Called with a line as each kind's file is begun.

    Examples
    --------
    >>> import tempfile, pathlib, loaders
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "topics.csv").write_text("id,name\nt1,Physics\n")
    >>> with ImportWriter(d / "import") as writer:
    ...     data = loaders.stream_dataset(d, pseudonymise=lambda s: s, on_chunk=writer)
    >>> writer.files.rows, holds(writer.files, data)
    ({'Topic': 1}, True)
    """

    def __init__(self, folder: str | Path, *, progress: Say | None = None) -> None:
        self.files = ImportFiles(Path(folder))
        self.files.folder.mkdir(parents=True, exist_ok=True)
        self._say = progress or _quiet
        self._handles: dict[str, IO[bytes]] = {}
        # Creators wait (typed, as Arrow IPC) for the derived properties, which need every
        # PUBLISHES_ON row: one row per creator is held, never the relationships.
        self._creators: pa.ipc.RecordBatchStreamWriter | None = None
        self._activity = Activity()
        self._closed = False

    def __call__(self, name: str, frame: pd.DataFrame) -> None:
        """Append one chunk of a kind's rows (by node label or relationship type)."""
        if not len(frame):
            return
        kind = _kind(name)
        table = _import_table(frame, kind)
        if kind is model.CREATOR:
            if self._creators is None:
                self._creators = pa.ipc.new_stream(self._staged(), table.schema)
            self._creators.write_table(table)
            self.files.rows[name] = self.files.rows.get(name, 0) + len(frame)
            return
        if kind is model.PUBLISHES_ON:
            self._activity.add(frame)
        if name not in self._handles:
            self._handles[name] = self._begin(kind)
        _write_table(table, self._handles[name])
        self.files.rows[name] += len(frame)

    def _staged(self) -> Path:
        return self.files.folder / f"{model.CREATOR.file}.arrow"

    def _begin(self, kind: model.NodeKind | model.RelKind, derived: bool = False) -> IO[bytes]:
        name = kind.label if isinstance(kind, model.NodeKind) else kind.type
        path = self.files.folder / f"{kind.file}.csv"
        names = header(kind) + ([f"{p.name}:{IMPORT_TYPES[p.type]}" for p in model.DERIVED_PROPERTIES] if derived else [])
        _header_path(path).write_text(",".join(names) + "\n", encoding="utf-8")
        self.files.files[name] = path
        self.files.rows.setdefault(name, 0)
        self._say(f"writing import file {path.name}")
        return path.open("wb")

    def close(self) -> None:
        """Write the creators with their derived properties, then close the files (their data stays)."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._creators is not None:
                creators, self._creators = self._creators, None
                creators.close()
                self._write_creators()
        finally:
            self._abort()

    def _write_creators(self) -> None:
        with self._begin(model.CREATOR, derived=True) as out, pa.memory_map(str(self._staged())) as source:
            for batch in pa.ipc.open_stream(source):
                activity = self._activity.of(batch.column(model.ID).to_pandas())
                # An empty list of income streams was written as a missing field.
                derived = {model.HAS_INCOME: pc.is_valid(batch.column(INCOME_STREAMS))}
                derived |= {p.name: pa.array(activity[p.name], type=_ARROW_TYPES[IMPORT_TYPES[p.type]],
                                             from_pandas=True)
                            for p in model.DERIVED_PROPERTIES if p.name != model.HAS_INCOME}
                names = [p.name for p in model.DERIVED_PROPERTIES]
                _write_table(pa.table([*batch.columns, *(derived[n] for n in names)],
                                      names=[*batch.schema.names, *names]), out)
        self._staged().unlink()
        self.files.derived = True

    def _abort(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()
        if self._creators is not None:
            creators, self._creators = self._creators, None
            creators.close()

    def __enter__(self) -> ImportWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None:
            self.close()
        else:  # validation failed: the files are thrown away, no use finishing them
            self._closed = True
            self._abort()


def write_import_files(data: Any, folder: str | Path, *, progress: Say | None = None) -> ImportFiles:
    r"""Write a validated dataset's rows as Neo4j import files, a chunk at a time.

    Parameters
    ----------
    data : loaders.StreamedDataset or loaders.Dataset
        Validated and pseudonymised rows (:func:`loaders.stream_dataset` keeps memory bounded:
        three chunks at most are held, the one written and the next two read ahead).
    folder : str or Path
        As for :class:`ImportWriter`.
    progress : callable, optional
        Called with a line per kind written.

    Returns
    -------
    ImportFiles

    Examples
    --------
    >>> import tempfile, pathlib, loaders
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "topics.csv").write_text("id,name\nt1,Physics\nt2,Maths\n")
    >>> files = write_import_files(loaders.stream_dataset(d, pseudonymise=lambda s: s), d / "import")
    >>> files.rows
    {'Topic': 2}
    >>> print((d / "import" / "topics.header.csv").read_text().strip())
    id:ID(Topic),name:string,level:long
    >>> print(files.files["Topic"].read_text().strip())
    t1,Physics,
    t2,Maths,
    """
    frames: Iterable[tuple[str, pd.DataFrame]]
    if hasattr(data, "frames"):
        frames = read_ahead(data.frames())  # the next chunk converted while this one is written
    else:
        frames = [*data.nodes.items(), *data.relationships.items()]
    with ImportWriter(folder, progress=progress) as writer:
        for name, frame in frames:
            writer(name, frame)
    writer.files.key_fingerprint = getattr(data, "key_fingerprint", None)
    return writer.files


def holds(files: ImportFiles, data: Any) -> bool:
    r"""Whether import files written during validation hold exactly ``data``'s rows.

    True when the dataset has no rejects and the rows written per kind are its counts: a
    row rejected only after its chunk was written (a duplicate of an earlier chunk's) makes
    both false.  The writer must be closed (its creators are written then).

    Examples
    --------
    >>> import tempfile, pathlib, loaders
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "topics.csv").write_text("id,name\nt1,Physics\nt1,Maths\n")
    >>> with ImportWriter(d / "import") as writer:
    ...     data = loaders.stream_dataset(d, pseudonymise=lambda s: s, on_error="skip", on_chunk=writer)
    >>> writer.files.rows, data.counts()["Topic"], holds(writer.files, data)
    ({'Topic': 2}, 1, False)
    """
    return (not len(data.rejects) and files.rows == {k: n for k, n in data.counts().items() if n}
            and files.files.keys() == files.rows.keys())


def _count(store: Neo4jStore, statement: str) -> int:
    with store._errors("bulk import check"), store._session(read=True) as session:
        return int(session.run(statement).single()["count"])  # type: ignore[index]


def check_empty(store: Neo4jStore) -> None:
    """Raise :class:`StoreError` unless the database holds no node and no relationship.

    Examples
    --------
    Needs a server, so shown but not run::

        check_empty(Neo4jStore("bolt://127.0.0.1:7687", password=...))
    """
    nodes, rels = _count(store, _COUNT_NODES), _count(store, _COUNT_RELATIONSHIPS)
    if nodes or rels:
        raise StoreError(f"bulk import needs a new, empty database, and {store.uri} holds {nodes:,} nodes and "
                         f"{rels:,} relationships: load without --bulk (an online load adds to it), or import "
                         "into a new database")


@dataclass
class _Server:
    """The scripts/neo4j server of a run folder, at the store's address."""

    script: Path
    env: dict[str, str]
    port: str

    def __call__(self, *args: str, port: bool = False, env: dict[str, str] | None = None
                 ) -> subprocess.CompletedProcess[str]:
        return self.begin(*args, port=port, env=env).wait()

    def begin(self, *args: str, port: bool = False, env: dict[str, str] | None = None) -> _Command:
        """Run the script in the background (e.g. the stop, while the import files are written)."""
        env = {**self.env, **(env or {}), **({"GRAPHKIT_NEO4J_PORT": self.port} if port else {})}
        argv = [str(self.script), *args]
        return _Command(argv, subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                               text=True), time.perf_counter())


class _Command:
    """A scripts/neo4j command running in the background.

    A thread collects it as it ends, so ``seconds`` is its own duration even when it is
    waited for later (the stop, after the import files are written).
    """

    def __init__(self, argv: list[str], process: subprocess.Popen[str], started: float) -> None:
        self.argv, self.process, self.started = argv, process, started
        self.seconds: float | None = None
        self._out: tuple[str, str] = ("", "")
        self._thread = threading.Thread(target=self._collect, daemon=True)
        self._thread.start()

    def _collect(self) -> None:
        self._out = self.process.communicate()
        self.seconds = time.perf_counter() - self.started

    def wait(self) -> subprocess.CompletedProcess[str]:
        self._thread.join()
        return subprocess.CompletedProcess(self.argv, self.process.returncode, *self._out)


def _server(store: Neo4jStore, run_dir: str | Path | None, script: str | Path | None) -> _Server:
    path = Path(script) if script is not None else SCRIPT
    if not path.is_file():
        raise StoreError(f"bulk import runs Neo4j's importer with scripts/neo4j, not found at {path}")
    env = config.child_environment()
    if run_dir is not None:
        env["GRAPHKIT_NEO4J_RUN"] = str(run_dir)
    status = subprocess.run([str(path), "status"], env=env, capture_output=True, text=True, check=False)
    running = status.stdout.strip().removeprefix("running ")
    want = urlsplit(store.uri)
    got = urlsplit(running)
    if status.returncode != 0 or (got.hostname, got.port) != (want.hostname, want.port):
        where = env.get("GRAPHKIT_NEO4J_RUN", "its default run folder")
        raise StoreError(f"bulk import stops and restarts the server, so it needs the one scripts/neo4j started "
                         f"(GRAPHKIT_NEO4J_RUN={where}: {status.stdout.strip() or 'stopped'}), at {store.uri}")
    return _Server(path, env, str(want.port))


def _database_dirs(server: _Server) -> list[Path]:
    cache = server.env.get("GRAPHKIT_NEO4J_CACHE") or Path(server.env.get("HOME") or "/tmp") / ".cache/graphkit/neo4j"
    run = Path(server.env.get("GRAPHKIT_NEO4J_RUN") or Path(cache) / "run")
    data = Path(server.env.get("GRAPHKIT_NEO4J_DATA") or run / "data")
    return [data / "data" / "databases" / "neo4j", data / "data" / "transactions" / "neo4j"]


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1].removeprefix("neo4j: ") if lines else "no message"


def import_files(store: Neo4jStore, files: ImportFiles, *, run_dir: str | Path | None = None,
                 script: str | Path | None = None, progress: Say | None = None,
                 timings: dict[str, float] | None = None) -> LoadSummary:
    """Run Neo4j's offline importer on ``files``, then make the database what a load makes it.

    Stops the server, imports into its (empty) database ``neo4j``, starts it on the same
    port, creates the constraints, binds the key's fingerprint and computes the derived
    creator properties unless the files hold them (``files.derived``).  ``store`` stays
    usable: its driver reconnects.

    Parameters
    ----------
    store : Neo4jStore
        Connected to the server that ``scripts/neo4j`` started for ``run_dir``.
    files : ImportFiles
        From :func:`write_import_files`.
    run_dir : str or Path, optional
        The server's run folder (default: ``GRAPHKIT_NEO4J_RUN``, as the script reads it).
    script : str or Path, optional
        The server script (default: the repository's ``scripts/neo4j``).
    progress : callable, optional
        Called with a line per step.
    timings : dict, optional
        Filled with the seconds of each step: ``stop``, ``backup``, ``import``, ``start``,
        ``finish`` (constraints, key, derived properties, counts).

    Returns
    -------
    LoadSummary
        Every row created.

    Raises
    ------
    StoreError
        The database is not empty, the server is not the script's, or the import failed (the
        database is then empty again, and the message says so).

    Examples
    --------
    Needs a server, so shown but not run::

        files = write_import_files(loaders.stream_dataset(folder, pseudonymise=p), tmp)
        import_files(store, files).describe()
    """
    say = progress or _quiet
    times = timings if timings is not None else {}
    server = _server(store, run_dir, script)
    check_empty(store)
    if not files.files:  # nothing to import: the database is already what a load would make it
        return _timed(times, "finish", lambda: _finish(store, files, say))
    say("stopping the server for the offline import")
    _stopped(server.begin("stop"), times)
    return _import_stopped(store, server, files, say, times)


def _stopped(stop: _Command, times: dict[str, float]) -> None:
    """Wait for a stop begun earlier; raise if it failed (the server then still runs)."""
    waited = time.perf_counter()
    stopped = stop.wait()
    times["stop_wait"] = time.perf_counter() - waited
    times["stop"] = stop.seconds or 0.0
    if stopped.returncode:
        raise StoreError(f"could not stop the server for the import: {_last_line(stopped.stderr)}")


def _timed(times: dict[str, float], name: str, step: Callable[[], Any]) -> Any:
    begun = time.perf_counter()
    try:
        return step()
    finally:
        times[name] = time.perf_counter() - begun


def _import_stopped(store: Neo4jStore, server: _Server, files: ImportFiles, say: Say,
                    times: dict[str, float]) -> LoadSummary:
    """The import proper, the server stopped: back up the empty database, import, start, finish."""
    dirs = _database_dirs(server)
    with tempfile.TemporaryDirectory(prefix="graphkit-bulk-") as backup:
        try:
            # The empty database's folders, put back if the import fails: it may have begun
            # overwriting them.  An empty database is a few megabytes.
            begun = time.perf_counter()
            for i, d in enumerate(dirs):
                if d.exists():
                    shutil.copytree(d, Path(backup) / str(i), symlinks=True)
            times["backup"] = time.perf_counter() - begun
            say(f"importing {sum(files.rows.values()):,} rows with Neo4j's importer")
            done = _timed(times, "import", lambda: server(
                "import", "--overwrite-destination=true", "--bad-tolerance=0", "--skip-bad-relationships=false",
                "--skip-duplicate-nodes=false", "--id-type=string", *files.arguments(),
                env={"GRAPHKIT_NEO4J_IMPORT_JIT": _jit(files)}))
            failure = None if done.returncode == 0 else _failure(done.stderr)
        except BaseException:  # interrupted (e.g. Ctrl-C): still put the empty database back
            _restore(dirs, Path(backup))
            server("start", port=True)
            raise
        if failure is not None:
            _restore(dirs, Path(backup))
        say("starting the server")
        started = _timed(times, "start", lambda: server("start", port=True))
        if started.returncode:
            state = "the empty database was put back" if failure else "the import finished"
            raise StoreError(f"could not start the server after the import ({state}): "
                             f"{_last_line(started.stderr)}")
    if failure is not None:
        empty = "the database is empty, as before" if not _safe_count(store) else "the database is NOT empty"
        raise StoreError(f"the bulk import failed, nothing was imported and {empty}: {failure}")
    return _timed(times, "finish", lambda: _finish(store, files, say))


#: From this size of import files on, the importer's JVM compiles with C2 as well as C1.
FULL_JIT_BYTES = 256 << 20


def _jit(files: ImportFiles) -> str:
    """``full`` for a large import, where C2's code pays; ``quick`` (C1 only) for a small one.

    Measured on 2 cores (BENCHMARKS.md): 1.2M rows (55 MB of files) take as long either way
    on a quiet machine and half as long with C1 on a busy one; 12M rows (523 MB) 35 s with
    C2 against 61 s with C1 only.
    """
    size = sum(path.stat().st_size for path in files.files.values() if path.exists())
    return "full" if size >= FULL_JIT_BYTES else "quick"


def _finish(store: Neo4jStore, files: ImportFiles, say: Say) -> LoadSummary:
    """What a load does after writing: constraints, the key's fingerprint, derived properties."""
    say("creating the constraints, binding the key" + ("" if files.derived else ", deriving creator properties"))
    store._schema_ready = False
    store.ensure_schema()
    if files.key_fingerprint is not None:
        store.bind_key(files.key_fingerprint)
    if not files.derived:  # else the importer wrote them, computed as the files were written
        store.refresh_derived()
    counts = store.counts()
    return LoadSummary(written=dict(files.rows), counts=counts, created=dict(files.rows), changed=None)


def _failure(stderr: str) -> str:
    """The importer's own reason (e.g. "Error in input data"), then the script's last line."""
    reasons = [line.strip() for line in stderr.splitlines()
               if line.strip().startswith(("Error", "Caused by", "Invalid", "Input error"))]
    last = _last_line(stderr)
    return f"{reasons[0]}; {last}" if reasons and reasons[0] not in last else last


def _safe_count(store: Neo4jStore) -> int:
    try:
        return _count(store, _COUNT_NODES) + _count(store, _COUNT_RELATIONSHIPS)
    except StoreError:
        return -1  # unknown: not said to be empty


def _restore(dirs: list[Path], backup: Path) -> None:
    for i, d in enumerate(dirs):
        shutil.rmtree(d, ignore_errors=True)
        saved = backup / str(i)
        if saved.exists():
            shutil.copytree(saved, d, symlinks=True)


def check_target(store: Any, *, run_dir: str | Path | None = None, script: str | Path | None = None) -> None:
    """Raise unless ``store`` can take a bulk import: a Neo4j store, the script's server, empty.

    Cheap (two count-store reads and ``scripts/neo4j status``): call it before validating a
    large dataset, so that a refusal comes first.

    Raises
    ------
    ArgumentError
        ``store`` is not a Neo4j store.
    StoreError
        The server is not the one ``scripts/neo4j`` started, or the database is not empty.

    Examples
    --------
    >>> import tempfile
    >>> from graphkit import EmbeddedStore
    >>> check_target(EmbeddedStore(tempfile.mkdtemp()))
    Traceback (most recent call last):
    ...
    graphkit.errors.ArgumentError: bulk import writes a Neo4j database (--neo4j), not an EmbeddedStore
    """
    if not isinstance(store, Neo4jStore):
        raise ArgumentError(f"bulk import writes a Neo4j database (--neo4j), not an {type(store).__name__}")
    _server(store, run_dir, script)
    check_empty(store)


def bulk_import(store: Neo4jStore, data: Any, *, files: ImportFiles | None = None,
                run_dir: str | Path | None = None, script: str | Path | None = None,
                workdir: str | Path | None = None, progress: Say | None = None,
                timings: dict[str, float] | None = None) -> LoadSummary:
    """First load of a validated dataset into a new, empty database with Neo4j's importer.

    Checks that the database is empty; then, unless ``files`` already hold the dataset's
    rows, writes the import files (:func:`write_import_files`) into a temporary folder while
    the server stops (``data`` is validated already, so the stop costs nothing it could have
    spared); then imports as :func:`import_files` does.  Files it wrote are removed
    afterwards.  If writing fails once the stop has begun (a file changed since it was
    validated, a full disk), the server is started again, its database as it was (empty),
    and the :class:`StoreError` says so.

    Parameters
    ----------
    store : Neo4jStore
        Connected to the (empty) database of the server ``scripts/neo4j`` started.
    data : loaders.StreamedDataset or loaders.Dataset
        Validated, pseudonymised rows with their key's fingerprint.
    files : ImportFiles, optional
        Written during validation (an :class:`ImportWriter` as ``stream_dataset``'s
        ``on_chunk``): imported as they are when they hold exactly ``data``'s rows
        (:func:`holds`), which spares the second pass; otherwise (rows were rejected) the
        files are written again from ``data``.  The caller removes them.
    run_dir, script, progress
        As for :func:`import_files`.
    workdir : str or Path, optional
        Where the temporary import folder goes (default: the system's temporary folder);
        it needs room for the dataset as CSV.
    timings : dict, optional
        Filled with the seconds of each step: ``write`` (0 when ``files`` are used),
        ``stop`` (its own time, overlapping the write), ``stop_wait`` (what was left of it
        after the write), then as :func:`import_files`.

    Returns
    -------
    LoadSummary

    Raises
    ------
    StoreError
        As :func:`import_files`, or writing the files failed; the database is left as it was.
    ArgumentError
        ``store`` is not a Neo4j store.

    Examples
    --------
    Needs a server, so shown but not run::

        with ImportWriter(tmp) as writer:
            data = loaders.stream_dataset(folder, pseudonymise=pseudonymiser, on_chunk=writer)
        bulk_import(Neo4jStore.from_env(), data, files=writer.files).describe()
    """
    say = progress or _quiet
    times = timings if timings is not None else {}
    check_target(store, run_dir=run_dir, script=script)  # before the files are written: a refusal costs nothing
    server = _server(store, run_dir, script)
    fingerprint = getattr(data, "key_fingerprint", None)
    with tempfile.TemporaryDirectory(prefix="graphkit-import-", dir=workdir) as tmp:
        if not sum(data.counts().values()):  # nothing to import: no stop, no restart
            summary = _timed(times, "finish", lambda: _finish(store, ImportFiles(Path(tmp), key_fingerprint=fingerprint),
                                                              say))
        elif files is not None and holds(files, data):
            say("stopping the server for the offline import (the import files were written during validation)")
            times["write"] = 0.0
            _stopped(server.begin("stop"), times)
            written = dataclasses.replace(files, key_fingerprint=fingerprint)
            summary = _import_stopped(store, server, written, say, times)
        else:
            say("stopping the server for the offline import, writing the import files meanwhile")
            stop = server.begin("stop")
            try:
                written = _timed(times, "write", lambda: write_import_files(data, tmp, progress=progress))
            except BaseException as exc:
                stop.wait()
                started = server("start", port=True)
                state = ("the server was started again, its database empty, as before" if not started.returncode
                         else f"the server could NOT be started again: {_last_line(started.stderr)}")
                if isinstance(exc, Exception):  # one line, as every error the CLI shows
                    reason = " ".join(str(exc).split())
                    raise StoreError(f"writing the import files failed, nothing was imported and {state}: "
                                     f"{reason}") from exc
                raise
            _stopped(stop, times)
            summary = _import_stopped(store, server, written, say, times)
    if getattr(data, "generated", None):  # as Store.load does: a report on the database must say so
        store.record_generated(data.generated)
    return summary
