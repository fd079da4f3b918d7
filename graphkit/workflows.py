"""The workflows behind ``graphkit load``, ``analyze``, ``report`` and ``export``, for Python.

Each takes an open store and does what the command of its name does, so a script or a
notebook gets the same dataset checks, analysis, report and export as the command line::

    store = graphkit.EmbeddedStore("my-store")
    data = graphkit.read_folder(store, "data/", pseudonymiser=graphkit.Pseudonymiser.from_config())
    graphkit.load_dataset(store, data)                # loads, then saves the store if anything changed
    paths = graphkit.report(store, "report/", seed=0)  # report.html, report.md, report.json, tables/*.csv
    graphkit.export(store, "graph.gexf")

This module and the CLI are the only places that wire ``loaders`` to stores (it imports
``loaders`` when a folder is read, so ``import graphkit`` does not).  ``progress``, where
taken, is called with one line per step, as the CLI shows them on stderr.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit import model
from graphkit.errors import ArgumentError
from graphkit.graph import Graph
from graphkit.privacy import Pseudonymiser
from graphkit.reports import export_graph, write_csv
from graphkit.reports.export import DEFAULT_VIEWERS, VIEWER_MODES
from graphkit.stores import EmbeddedStore, LoadSummary, Store

if TYPE_CHECKING:
    import pandas as pd

    from graphkit.analysis import Analysis
    from graphkit.answers import Answers
    from graphkit.stores.bulk import ImportFiles
    from loaders import Dataset, StreamedDataset

__all__ = ["analyze_store", "bulk_load", "export", "load_dataset", "read_folder", "report"]

Say = Callable[[str], None]


def _quiet(message: str) -> None:
    """The default ``progress``: says nothing."""


def _save(store: Store, progress: Say) -> None:
    """Save an embedded store (a Neo4j store has nothing to save)."""
    if isinstance(store, EmbeddedStore):
        store.save()
        progress(f"saved the store to {store.path}")


def read_folder(
    store: Store,
    folder: str | Path,
    *,
    pseudonymiser: Pseudonymiser,
    on_error: str = "fail",
    encoding: str | None = None,
    rejects: str | Path | None = None,
    stream: bool | None = None,
    progress: Say | None = None,
    on_chunk: Callable[[str, pd.DataFrame], None] | None = None,
) -> Dataset | StreamedDataset:
    r"""Read and validate a dataset folder for loading into ``store``; writes nothing to it.

    The pseudonym key is checked against the store's first, and relationships may end at
    nodes the store already holds.  The dataset is streamed (:func:`loaders.stream_dataset`):
    validated whole, but its rows are read again chunk by chunk as they are written, so
    this process holds a chunk and the ids' hashes besides the store (nothing more for
    Neo4j; the embedded store's own compact frames, docs/architecture.md).

    Parameters
    ----------
    store : Store
        The store the dataset is meant for (read only).
    folder : str or Path
        Folder of dataset files (see docs/data-model.md).
    pseudonymiser : Pseudonymiser
        Turns viewer ids into pseudonyms; its key must be the one bound to the store.
    on_error : {"fail", "skip"}
        ``"fail"``: any bad row raises; ``"skip"``: bad rows are set aside as rejects.
    encoding : str, optional
        Force the text encoding (default: UTF-8, with or without BOM, else GB18030).
    rejects : str or Path, optional
        CSV file to write the rejected rows to, with reasons (header only when none; its
        folder is created).  ``None``: no file.
    stream : bool, optional
        ``False``: return a :class:`loaders.Dataset`, every row held as Python objects (some
        five times the loaded store's size in memory), instead of a
        :class:`loaders.StreamedDataset` (the rows stay in their files); default: stream.
    progress : callable, optional
        Called with a line per step, and during validation with the share done, the rate
        and the time left.
    on_chunk : callable, optional
        Streamed only: called during validation with each chunk's rows, as
        :func:`loaders.stream_dataset` describes (``graphkit load --bulk`` writes the
        import files with it, a :class:`graphkit.stores.bulk.ImportWriter`).

    Returns
    -------
    loaders.Dataset or loaders.StreamedDataset
        The validated frames (or, streamed, their counts), with ``rejects`` and
        ``warnings``; pass it to :func:`load_dataset`.

    Raises
    ------
    LoaderError
        The dataset has problems (``on_error="fail"``) or a file cannot be read at all.
    StoreError
        The store is bound to another pseudonym key, or holds viewers with none.
    ArgumentError
        A bad ``on_error`` or an unknown ``encoding``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "topics.csv").write_text("id,name\nt1,Physics\n")
    >>> store = EmbeddedStore(folder / "store")
    >>> data = read_folder(store, folder, pseudonymiser=Pseudonymiser(b"0123456789abcdef"))
    >>> data.counts()["Topic"]
    1
    """
    import loaders  # only the workflows and the CLI wire loaders to stores

    if stream is False and on_chunk is not None:  # refused before the store is read
        raise ArgumentError("on_chunk is called by the streamed read: leave stream unset")
    say = progress or _quiet
    if isinstance(store, EmbeddedStore) and store.recovered:
        say(f"{store.path}: {store.recovered}")
    store.check_key(pseudonymiser.fingerprint)
    say(f"reading and validating {folder}")
    existing = {k.label: store.node_ids(k.label) for k in model.NODE_KINDS}
    if stream is False:
        dataset: Dataset | StreamedDataset = loaders.read_dataset(
            folder, pseudonymise=pseudonymiser, on_error=on_error, encoding=encoding, existing=existing, progress=say)
    else:
        dataset = loaders.stream_dataset(folder, pseudonymise=pseudonymiser, on_error=on_error, encoding=encoding,
                                         existing=existing, progress=say, on_chunk=on_chunk)
    if rejects is not None:
        path = Path(rejects)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(dataset.rejects, path)  # also when empty: no stale list from an earlier run stays
    return dataset


def load_dataset(store: Store, dataset: Dataset | StreamedDataset, *, progress: Say | None = None) -> LoadSummary:
    r"""Load a dataset from :func:`read_folder` into ``store``.

    Saves an embedded store unless the load changed nothing (its files then stay exactly as
    they were).

    Parameters
    ----------
    store : Store
        The store to load into (an embedded one is saved: open it with
        ``EmbeddedStore.writing`` to hold its writer lock meanwhile).
    dataset : loaders.Dataset or loaders.StreamedDataset
        Validated frames (or a streamed dataset) carrying their pseudonym key's fingerprint.
    progress : callable, optional
        Called with a line per step, and for a streamed dataset with the rows written, the
        rate and the time left.

    Returns
    -------
    LoadSummary
        What was created, changed and left as it was (``describe()`` says it in one line).

    Raises
    ------
    StoreError
        Another pseudonym key is bound to the store, or it cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "topics.csv").write_text("id,name\nt1,Physics\n")
    >>> store = EmbeddedStore(folder / "store")
    >>> data = read_folder(store, folder, pseudonymiser=Pseudonymiser(b"0123456789abcdef"))
    >>> load_dataset(store, data).describe()
    '1 created, 0 updated, 0 unchanged (of 1 rows)'
    >>> load_dataset(store, data).unchanged
    True
    """
    say = progress or _quiet
    bound = getattr(store, "key_fingerprint", None)
    rows = None
    if hasattr(dataset, "frames"):  # streamed: the long pass; say how far it has come
        from loaders.progress import Meter

        meter = Meter(say, sum(dataset.counts().values()))
        rows = lambda name, done, total: meter.update(f"writing {name}", done)  # noqa: E731
    summary = store.load(dataset, progress=lambda name, i, n: say(f"writing {name} ({i + 1}/{n})"), rows=rows)
    if summary.unchanged and bound == dataset.key_fingerprint:
        say("nothing to save")
    else:
        _save(store, say)
    return summary


def analyze_store(
    store: Store,
    *,
    graph: str = "whole",
    seed: int = 0,
    out: str | Path | None = None,
    write: bool = False,
    progress: Say | None = None,
    engine: str = "auto",
) -> Analysis:
    r"""The standard analysis (:func:`graphkit.analyze`) of the whole graph in ``store``.

    Parameters
    ----------
    store : Store
        The store to project.
    graph : str
        The analysis graph to analyse (:data:`graphkit.model.ANALYSIS_GRAPHS`: ``"whole"``,
        ``"audience"``, ``"knowledge"``, ``"collaboration"``, ``"reach"``), weighted by
        :data:`graphkit.model.ANALYSIS_WEIGHTS`; its name and formulas are in every
        result's provenance.
    seed : int
        Random seed.
    out : str or Path, optional
        Folder to write ``nodes.csv`` to (creators, institutions and topics; created).
    write : bool
        Write the results back to the store as node properties (an embedded store is then
        saved).
    progress : callable, optional
        Called with a line per step.
    engine : {"auto", "fast", "reference", "gds"}
        :func:`graphkit.analyze`'s engine.  ``"gds"`` (a Neo4j store on a server with Graph
        Data Science) projects the graph into the server and runs every step there
        (:mod:`graphkit.analysis.gds`); ``write`` then uses GDS's write mode.

    Returns
    -------
    Analysis
        The results by step; ``summary()`` gives each step's summary.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "topics.csv").write_text("id,name\nt1,Physics\n")
    >>> _ = (folder / "creators.csv").write_text("id,name\nc1,A\n")
    >>> _ = (folder / "publishes_on.csv").write_text("source_id,target_id,videos,views\nc1,t1,3,90\n")
    >>> store = EmbeddedStore(folder / "store")
    >>> _ = load_dataset(store, read_folder(store, folder, pseudonymiser=Pseudonymiser(b"0123456789abcdef")))
    >>> analyze_store(store).summary()["components"]["components"]
    1
    """
    say = progress or _quiet
    if engine == "gds":  # the projection lives in the server, and is dropped at the end whatever happens
        from graphkit.analysis import gds

        with gds.project(store, graph) as projected:
            return _analyze_projected(store, projected, graph, seed, out, write, say, "gds",
                                      lambda: gds.write_back(projected))
    return _analyze_projected(store, store.analysis_graph(graph), graph, seed, out, write, say, engine, None)


def _analyze_projected(store: Store, projected: Graph, graph: str, seed: int, out: str | Path | None, write: bool,
                       say: Say, engine: str, write_back: Callable[[], int] | None) -> Analysis:
    from graphkit.analysis import analyze

    say(f"analysing the {graph} graph: {projected.number_of_nodes()} nodes, {projected.number_of_edges()} edges")
    result = analyze(projected, seed=seed, progress=lambda step: say(f"  {step}"), engine=engine)
    nodes = result.nodes()
    if out is not None:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        write_csv(nodes[nodes["kind"] != model.VIEWER.label], folder / "nodes.csv")
    if write:
        written = write_back() if write_back is not None else store.write_results(nodes)
        say(f"wrote {written} node results back to the store")
        _save(store, say)
    return result


def report(
    source: Store | Answers,
    out: str | Path,
    *,
    store: Store | None = None,
    dataset: str | Path | None = None,
    seed: int | None = None,
    max_hops: int | None = None,
    resamples: int | None = None,
    progress: Say | None = None,
) -> dict[str, Path]:
    r"""Answer the three questions on a store and write the report a researcher would publish to ``out``.

    Three sections named by the questions (findings in plain words, each a number with its
    denominator, a comparison and a figure, then detail tables), communities with names,
    who is central (with the interactive network view), and an appendix: data source,
    date, every parameter and seed, the analysis graphs and weights, library versions,
    the pseudonym key's fingerprint, and a notice when the data came from ``graphkit
    generate``.  See docs/report.md.  Viewers appear only as counts and segments.

    Parameters
    ----------
    source : Store or Answers
        A store: :func:`graphkit.answers` is computed on it.  An :class:`~graphkit.Answers`
        already computed: pass the store it came from as ``store``.
    out : str or Path
        Output folder (created).
    store : Store, optional
        The store ``source`` was computed from, when ``source`` is an Answers (names,
        communities and who is central are read from it).
    dataset : str or Path, optional
        The folder the store was loaded from: its files are listed.  The synthetic-data
        notice comes from the generator's record (``loaders.generator.GENERATED_RECORD``),
        which the store keeps from the load (``store.generated``) or the folder holds.
    seed, max_hops, resamples : int, optional
        Passed to :func:`graphkit.answers` (defaults 0, 4 and 1,000); the seed also seeds
        the whole graph's analysis.  With an Answers they must be left out or equal its own.
    progress : callable, optional
        Called with a line per step.

    Returns
    -------
    dict of str to Path
        ``html``: ``report.html`` (self-contained), ``md``: ``report.md``, ``json``:
        ``report.json`` (``graphkit/reports/report.schema.json``), then each detail table's
        id: ``tables/<id>.csv``.

    Raises
    ------
    ArgumentError
        ``source`` neither a store nor an Answers, an Answers without ``store``, or
        parameters that contradict the Answers'.

    Examples
    --------
    >>> import tempfile, pathlib, loaders
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = loaders.generate(60, seed=0, out=folder / "data")
    >>> store = EmbeddedStore(folder / "store")
    >>> _ = load_dataset(store, read_folder(store, folder / "data", pseudonymiser=Pseudonymiser(b"0123456789abcdef")))
    >>> paths = report(store, folder / "report", dataset=folder / "data", resamples=50)
    >>> [p.name for p in list(paths.values())[:3]]
    ['report.html', 'report.md', 'report.json']
    >>> "Synthetic data" in paths["html"].read_text()
    True
    """
    import datetime

    from graphkit.analysis import analyze, community_profiles, degree, pagerank
    from graphkit.answers import Answers, answers
    from graphkit.reports import ReportData, write_report
    from graphkit.reports.network import NetworkBundleMissing, bundle_path, network_nodes

    say = progress or _quiet
    asked = {"seed": seed, "max_hops": max_hops, "resamples": resamples}
    if isinstance(source, Answers):
        if store is None:
            raise ArgumentError("report: given an Answers, pass store= (the store it was computed from): names, "
                                "communities and who is central are read from it")
        clash = [f"{k}={v} (the answers used {source.parameters.get(k)})" for k, v in asked.items()
                 if v is not None and source.parameters.get(k) != v]
        if clash:
            raise ArgumentError(f"report: {', '.join(clash)}; leave them out or compute the answers again")
        found = source
    elif isinstance(source, Store):
        if store is not None and store is not source:
            raise ArgumentError("report: given a store as source, leave store= out")
        store = source
        found = answers(store, progress=say, **{k: v for k, v in asked.items() if v is not None})
    else:
        raise ArgumentError(f"report: source must be a Store or an Answers, got a {type(source).__name__}")
    seed = int(found.parameters.get("seed", 0))
    say("projecting the whole graph (audience and knowledge graphs cut from it)")
    graphs = store.analysis_graphs(["whole", "audience", "knowledge"])
    whole = graphs["whole"]
    say(f"analysing the whole graph: {whole.number_of_nodes()} nodes, {whole.number_of_edges()} edges")
    analysis = analyze(whole, seed=seed, progress=lambda step: say(f"  {step}"))
    network = None
    if bundle_path().is_file():
        network = network_nodes(whole, analysis)
    else:
        say(f"no network view: {NetworkBundleMissing.__doc__}")
    files: list[dict[str, object]] = []
    generated = getattr(store, "generated", None)  # recorded when a generated folder was loaded
    if dataset is not None:
        import loaders.generator  # only the workflows and the CLI wire loaders to stores

        folder = Path(dataset)
        files = [{"name": p.name, "bytes": p.stat().st_size} for p in sorted(folder.iterdir())
                 if p.is_file() and not p.name.startswith(".")]
        generated = loaders.generator.generated_record(folder) or generated
    where = getattr(store, "path", None) or getattr(store, "uri", None) or type(store).__name__
    data = ReportData(
        answers=found, analysis=analysis,
        profiles=community_profiles(whole, analysis.results["louvain"]),
        attention=pagerank(graphs["audience"]), knowledge_degree=degree(graphs["knowledge"], weight="weight"),
        creators=store.nodes(model.CREATOR.label), institutions=store.nodes(model.INSTITUTION.label),
        topics=store.nodes(model.TOPIC.label), network=network,
        source={"store": str(where), "dataset": str(dataset) if dataset is not None else None, "files": files},
        generated=generated, created=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        key_fingerprint=getattr(store, "key_fingerprint", None))
    say(f"writing the report to {out}")
    return write_report(data, out)


def export(store: Store, path: str | Path, *, viewers: str = DEFAULT_VIEWERS, progress: Say = _quiet) -> Path:
    r"""Write the whole graph in ``store`` for Gephi (``.gexf``, GEXF 1.3) or as GraphML (``.graphml``).

    The ``whole`` analysis graph (``store.analysis_graph("whole")``): every node labelled by
    its name and keyed ``"<Label>:<id>"``, with its properties and the analysis results
    written back to the store (``graphkit analyze --write``, :func:`analyze_store` with
    ``write=True``) in their real types; every relationship one edge with its type and tie
    weight.  See docs/export.md.

    Parameters
    ----------
    store : Store
        The store to export (read only).
    path : str or Path
        File to write; its extension picks the format.
    viewers : {"segments", "omit", "all"}
        ``"segments"`` (default): one node per viewer segment (age band x region type) with
        its viewer count, and segment edges with the count of viewers and their summed tie
        weight; ``"omit"``: no viewers; ``"all"``: every viewer under its pseudonym.
    progress : callable, optional
        Called with one line per step and per chunk written, with counts.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ArgumentError
        ``path`` ends neither in ``.gexf`` nor in ``.graphml``, or an unknown ``viewers``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "topics.csv").write_text("id,name\nt1,Physics\n")
    >>> store = EmbeddedStore(folder / "store")
    >>> _ = load_dataset(store, read_folder(store, folder, pseudonymiser=Pseudonymiser(b"0123456789abcdef")))
    >>> export(store, folder / "graph.graphml").name
    'graph.graphml'
    """
    if viewers not in VIEWER_MODES:  # before the projection, which is the slow part
        raise ArgumentError(f"viewers must be one of {', '.join(VIEWER_MODES)}, got {viewers!r}")
    progress("projecting the whole graph")
    graph = store.analysis_graph("whole")
    nodes = {kind.label: store.nodes(kind.label) for kind in model.NODE_KINDS}
    return export_graph(graph, path, nodes=nodes, viewers=viewers, progress=progress)


def bulk_load(store: Store, dataset: Dataset | StreamedDataset, *, progress: Say | None = None,
              run_dir: str | Path | None = None, files: ImportFiles | None = None) -> LoadSummary:
    r"""First load of a dataset from :func:`read_folder` into a new, empty Neo4j database, in bulk.

    ``graphkit load --neo4j --bulk``: the rows are written as import files a chunk at a time
    and Neo4j's offline importer loads them with the server stopped; then the constraints,
    the key's fingerprint and the derived creator properties, as :func:`load_dataset` leaves
    them (:mod:`graphkit.stores.bulk`, docs/neo4j-store.md).  Check the target first with
    :func:`graphkit.stores.bulk.check_target`, before validating a large dataset.

    Parameters
    ----------
    store : Store
        A Neo4j store on the server ``scripts/neo4j`` started, whose database is empty.
    dataset : loaders.StreamedDataset or loaders.Dataset
        Validated, pseudonymised rows (``read_folder(..., stream=True)``).
    progress : callable, optional
        Called with a line per step.
    run_dir : str or Path, optional
        The server's run folder (default ``GRAPHKIT_NEO4J_RUN``).
    files : graphkit.stores.bulk.ImportFiles, optional
        Import files written during validation (``read_folder(..., on_chunk=writer)`` with a
        :class:`graphkit.stores.bulk.ImportWriter`), used when they hold exactly the
        dataset's rows; otherwise written from ``dataset``.

    Returns
    -------
    LoadSummary
        Every row created.

    Raises
    ------
    ArgumentError
        ``store`` is not a Neo4j store.
    StoreError
        The database is not empty, the server is not the script's, or the import failed
        (the database is then left empty, and the message says so).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "topics.csv").write_text("id,name\nt1,Physics\n")
    >>> store = EmbeddedStore(folder / "store")
    >>> bulk_load(store, read_folder(store, folder, pseudonymiser=Pseudonymiser(b"0123456789abcdef")))
    Traceback (most recent call last):
    ...
    graphkit.errors.ArgumentError: bulk import writes a Neo4j database (--neo4j), not an EmbeddedStore
    """
    from graphkit.stores import bulk  # the Neo4j driver is imported only when asked

    return bulk.bulk_import(store, dataset, files=files, run_dir=run_dir, progress=progress)  # type: ignore[arg-type]
