"""The workflows behind ``graphkit load``, ``analyze``, ``report`` and ``export``, for Python.

Each takes an open store and does what the command of its name does, so a script or a
notebook gets the same dataset checks, analysis, report and export as the command line::

    store = graphkit.EmbeddedStore("my-store")
    data = graphkit.read_folder(store, "data/", pseudonymiser=graphkit.Pseudonymiser.from_config())
    graphkit.load_dataset(store, data)                # loads, then saves the store if anything changed
    paths = graphkit.report(store, "report/", seed=0)  # report.html, report.json, nodes.csv
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
from graphkit.analysis import Analysis, analyze, attention_concentration, community_profiles, income, segment_access
from graphkit.errors import ArgumentError
from graphkit.graph import Graph
from graphkit.privacy import Pseudonymiser
from graphkit.reports import ReportInput, export_graph, write_csv, write_report
from graphkit.reports.export import DEFAULT_VIEWERS, VIEWER_MODES
from graphkit.stores import EmbeddedStore, LoadSummary, Store

if TYPE_CHECKING:
    from loaders import Dataset

__all__ = ["SEGMENTS", "analyze_store", "export", "load_dataset", "read_folder", "report"]

#: The viewer segments the report breaks fair access down by: the Viewer's enum properties.
SEGMENTS = model.SEGMENTS

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
    progress: Say | None = None,
) -> Dataset:
    r"""Read and validate a dataset folder for loading into ``store``; writes nothing to it.

    The pseudonym key is checked against the store's first, and relationships may end at
    nodes the store already holds.

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
    progress : callable, optional
        Called with a line per step.

    Returns
    -------
    loaders.Dataset
        The validated frames, with ``rejects`` and ``warnings``; pass it to
        :func:`load_dataset`.

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

    say = progress or _quiet
    if isinstance(store, EmbeddedStore) and store.recovered:
        say(f"{store.path}: {store.recovered}")
    store.check_key(pseudonymiser.fingerprint)
    say(f"reading and validating {folder}")
    existing = {k.label: store.node_ids(k.label) for k in model.NODE_KINDS}
    dataset = loaders.read_dataset(folder, pseudonymise=pseudonymiser, on_error=on_error, encoding=encoding,
                                   existing=existing)
    if rejects is not None:
        path = Path(rejects)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(dataset.rejects, path)  # also when empty: no stale list from an earlier run stays
    return dataset


def load_dataset(store: Store, dataset: Dataset, *, progress: Say | None = None) -> LoadSummary:
    r"""Load a dataset from :func:`read_folder` into ``store``.

    Saves an embedded store unless the load changed nothing (its files then stay exactly as
    they were).

    Parameters
    ----------
    store : Store
        The store to load into (an embedded one is saved: open it with
        ``EmbeddedStore.writing`` to hold its writer lock meanwhile).
    dataset : loaders.Dataset
        Validated frames carrying their pseudonym key's fingerprint.
    progress : callable, optional
        Called with a line per step.

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
    summary = store.load(dataset, progress=lambda name, i, n: say(f"writing {name} ({i + 1}/{n})"))
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


def report(store: Store, out: str | Path, *, seed: int = 0, progress: Say | None = None) -> dict[str, Path]:
    r"""Analyse the whole graph in ``store`` and write the standard report to ``out``.

    The report shows the dataset's counts, connectivity, the largest communities
    (:func:`graphkit.community_profiles`), the most central creators and institutions,
    attention and income (:func:`graphkit.attention_concentration`, :func:`graphkit.income`)
    and fair access per viewer segment (:func:`graphkit.segment_access` for each of
    :data:`SEGMENTS`).  Viewers appear only as counts and segments.

    Parameters
    ----------
    store : Store
        The store to report on (read only).
    out : str or Path
        Output folder (created).
    seed : int
        Random seed of the analysis.
    progress : callable, optional
        Called with a line per step.

    Returns
    -------
    dict of str to Path
        ``html``: ``report.html`` (self-contained), ``json``: ``report.json``, ``csv``:
        ``nodes.csv`` (the measures of creators, institutions and topics).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "topics.csv").write_text("id,name\nt1,Physics\n")
    >>> _ = (folder / "creators.csv").write_text("id,name\nc1,A\n")
    >>> _ = (folder / "publishes_on.csv").write_text("source_id,target_id,videos,views\nc1,t1,3,90\n")
    >>> store = EmbeddedStore(folder / "store")
    >>> _ = load_dataset(store, read_folder(store, folder, pseudonymiser=Pseudonymiser(b"0123456789abcdef")))
    >>> sorted(p.name for p in report(store, folder / "report").values())
    ['nodes.csv', 'report.html', 'report.json']
    """
    say = progress or _quiet
    say("projecting the whole graph")
    graph = store.analysis_graph("whole")
    say(f"analysing {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    result = analyze(graph, seed=seed, progress=lambda step: say(f"  {step}"))
    profiles = community_profiles(graph, result.results["louvain"])
    creators = store.nodes(model.CREATOR.label)
    viewers = store.nodes(model.VIEWER.label)
    engages = store.relationships(model.ENGAGES_WITH.type)
    domain = {
        "attention": attention_concentration(creators, store.relationships(model.FOLLOWS.type)),
        "income": income(creators),
        **{seg: segment_access(viewers, engages, creators, segment=seg) for seg in SEGMENTS},
    }
    data = ReportInput(store.counts(), result, domain, creators, store.nodes(model.TOPIC.label),
                       store.nodes(model.INSTITUTION.label), profiles)
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
