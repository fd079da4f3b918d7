"""One dispatcher for every graph measure: which engine runs it, on what input, and its Result.

A measure (``pagerank``, ``louvain`` ...) is a public function that checks its arguments
(:mod:`graphkit.analysis._checks`) and hands over to :func:`dispatch`.  Each engine's
implementation of it is a plain function registered with :func:`implements`: it receives
the graph in its engine's form and returns an :class:`Output`.  The dispatcher

1. chooses the engine: by name or alias; ``"auto"`` takes ``fast`` above :data:`AUTO_EDGES`
   edges and ``reference`` at or below.  An implementation may decline options it cannot
   run (``declines=``): ``"auto"`` then takes the reference implementation, a named engine
   refuses;
2. converts the graph into the engine's input (:attr:`Engine.convert`), undirected first
   where the measure asks, noting the conversion;
3. runs the implementation and sorts its per-node columns into a frame (:attr:`Engine.frame`:
   by the measure's column, then kind and id);
4. lets the measure finish (what it derives from the frame, the same on every engine) and
   builds the :class:`~graphkit.Result`: ``provenance.parameters["engine"]`` is the engine's
   canonical name, ``provenance.engine`` the library that computed, and the versions include
   the engine's libraries.

Engines
-------
``fast`` (alias ``networkit``)
    NetworKit, numpy and scipy.sparse on a :class:`~graphkit.Graph`'s arrays (a networkx
    graph is converted once, nodes sorted by ``str(node)``); rows are node positions.
``reference`` (alias ``networkx``)
    networkx and python-louvain on a networkx graph (a projection's cached view, or the
    user's graph itself); rows are networkx nodes.

Adding an engine (GDS, Spark) adds implementations; no measure is edited::

    register_engine(Engine("gds", convert=to_gds, frame=gds_frame, libraries=("graphdatascience",)))

    @implements("pagerank", "gds")
    def _pagerank_gds(graph, *, weight, alpha, personalization, tol, max_iter) -> Output: ...

``pagerank(G, engine="gds")`` then runs it; a measure the engine does not implement is
refused, naming the engines that do.  ``tests/test_analysis_engines.py`` registers a toy
engine this way.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.analysis._arrays import ranked_frame, relabel
from graphkit.analysis._checks import check_graph
from graphkit.analysis._input import (
    GraphLike,
    as_graph,
    as_networkx,
    canonical_labels,
    fast_undirected,
    node_columns,
    nx_weight,
    sort_frame,
    undirected,
)
from graphkit.errors import ArgumentError
from graphkit.graph import Graph
from graphkit.model import ID, KEY_SEPARATOR, KIND
from graphkit.results import Provenance, Result, library_versions

__all__ = [
    "ALIASES",
    "AUTO_EDGES",
    "ENGINES",
    "Engine",
    "EngineName",
    "Output",
    "check_engine",
    "choose_engine",
    "dispatch",
    "engines",
    "implements",
    "make_result",
    "register_engine",
    "unregister",
]

#: The built-in engines' names, and their aliases (accepted everywhere an engine is), or the
#: name of an engine added with :func:`register_engine` (hence ``| str``).
EngineName: TypeAlias = Literal["auto", "fast", "reference", "networkit", "networkx"] | str

#: ``engine="auto"`` takes the fast engine above this many edges, the reference one at or below.
AUTO_EDGES = 5_000

#: Other names of engines: the libraries they were named after.
ALIASES: dict[str, str] = {"networkit": "fast", "networkx": "reference"}


@dataclass
class Output:
    """What an implementation returns; :func:`dispatch` makes it a Result.

    Attributes
    ----------
    library : str
        What computed, for ``provenance.engine`` (``"networkit"``, ``"scipy"``, ``"networkx"``).
    columns : dict
        Per-node values, one entry per frame column: on the fast engine arrays aligned with
        ``rows``; on the reference engine those, or mappings keyed by networkx node.
    rows : optional
        The nodes the rows are for (positions, or networkx nodes); ``None``: every node, in
        the engine's node order.
    by : str, optional
        The column to sort by (descending unless ``descending=False``); ``None``: kind and id.
    labels : bool
        ``by`` holds group labels: renumbered 0 = the largest group (ties by the smallest
        member in (kind, id) order), whatever the engine, and sorted ascending.
    frame : DataFrame, optional
        A finished frame instead of ``columns`` (edge lists, orders of the measure's own).
    summary : dict
        Scalars for the Result's summary (the measure's ``finish`` may add to them).
    conversions : list of str
        Changes the implementation made to its input (e.g. self loops dropped).
    versions : dict
        Versions of what computed that no installed distribution gives (a server's plugin,
        e.g. ``{"neo4j-gds": "2.13.9"}``), added to the provenance's.
    """

    library: str
    columns: dict[str, Any] = field(default_factory=dict)
    rows: Any = None
    by: str | None = None
    descending: bool = True
    labels: bool = False
    frame: pd.DataFrame | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    conversions: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Engine:
    """An engine: how it takes a graph and how it turns an :class:`Output` into a frame.

    Attributes
    ----------
    name : str
        Its canonical name, recorded in provenance.
    convert : callable
        ``convert(graph, weight, undirected, conversions) -> (input, weight)``: the engine's
        form of a :class:`~graphkit.Graph` or networkx graph (made undirected when asked,
        appending what it did to ``conversions``), and the weight to hand on to the
        implementation.
    frame : callable
        ``frame(input, output) -> DataFrame``: ``kind``, ``id`` and the output's columns,
        sorted as the output says.
    libraries : tuple of str
        Distributions whose versions the provenance adds.
    share : callable, optional
        ``share(graph, weight, undirected, conversions) -> (graph, weight)``: a graph to hand
        to several measures in a row (``analyze``, ``stability``), with the conversions each
        would make done once; it must still be a :class:`~graphkit.Graph` or networkx graph.
        Default: the graph as it is.
    """

    name: str
    convert: Callable[[GraphLike, Any, bool, list[str]], tuple[Any, Any]]
    frame: Callable[[Any, Output], pd.DataFrame]
    libraries: tuple[str, ...] = ()
    share: Callable[[GraphLike, Any, bool, list[str]], tuple[GraphLike, Any]] | None = None

    def shared(self, graph: GraphLike, weight: Any, undirected: bool,
               conversions: list[str]) -> tuple[GraphLike, Any]:
        """:attr:`share`'s graph and weight (the graph as it is when there is no ``share``)."""
        return (graph, weight) if self.share is None else self.share(graph, weight, undirected, conversions)


@dataclass(frozen=True)
class _Implementation:
    run: Callable[..., Output]
    declines: Callable[..., str | None] | None


#: The engines, by canonical name (:func:`register_engine` adds one).
ENGINES: dict[str, Engine] = {}
_IMPLEMENTATIONS: dict[str, dict[str, _Implementation]] = {}
_NO_WEIGHT = object()  # a measure without a weight parameter


def register_engine(engine: Engine) -> Engine:
    """Make ``engine`` known by its name (replacing one of that name)."""
    ENGINES[engine.name] = engine
    return engine


def implements(measure: str, engine: str, *, declines: Callable[..., str | None] | None = None):
    """Register the decorated function as ``engine``'s implementation of ``measure``.

    It is called as ``run(input, weight=..., **options)`` (``weight`` only for measures that
    have one) and returns an :class:`Output`.  ``declines(weight=..., **options)``, when given,
    returns why it cannot run those options (``None``: it can).
    """
    def register(run: Callable[..., Output]) -> Callable[..., Output]:
        _IMPLEMENTATIONS.setdefault(measure, {})[engine] = _Implementation(run, declines)
        return run

    return register


def unregister(measure: str | None = None, *, engine: str) -> None:
    """Forget ``engine``'s implementation of ``measure``.

    ``measure=None``: the engine itself, with every implementation.
    """
    if measure is not None:
        _IMPLEMENTATIONS.get(measure, {}).pop(engine, None)
        return
    ENGINES.pop(engine, None)
    for found in _IMPLEMENTATIONS.values():
        found.pop(engine, None)


def engines(*measures: str) -> list[str]:
    """The engines implementing every one of ``measures`` (all engines when none is named).

    >>> engines("pagerank")
    ['fast', 'reference']
    """
    return [name for name in ENGINES if all(name in _IMPLEMENTATIONS.get(m, {}) for m in measures)]


def check_engine(function: str, engine: Any, measures: Sequence[str] = ()) -> str:
    """The canonical name of ``engine`` (``"auto"`` stays).

    Refuses one that does not run ``measures`` (default: ``function``), listing those that do.

    >>> check_engine("pagerank", "networkit")
    'fast'
    >>> check_engine("closeness", "igraph")
    Traceback (most recent call last):
    ...
    graphkit.errors.ArgumentError: closeness: engine must be one of 'auto', 'fast', 'reference' (aliases: ...
    """
    known = engines(*(measures or (function,)))
    name = ALIASES.get(engine, engine) if isinstance(engine, str) else engine
    if name == "auto" or (isinstance(name, str) and name in known):
        return name
    listed = ", ".join(repr(e) for e in ["auto", *known])
    aliases = ", ".join(f"{a!r} for {c!r}" for a, c in ALIASES.items() if c in known)
    other = f"; the {name!r} engine does not run {function}" if isinstance(name, str) and name in ENGINES else ""
    raise ArgumentError(f"{function}: engine must be one of {listed}{f' (aliases: {aliases})' if aliases else ''}"
                        f"{other}; got {engine!r}")


def choose_engine(graph: GraphLike, engine: Any, function: str, measures: Sequence[str] = ()) -> str:
    """The engine that runs ``function`` on ``graph``.

    :func:`check_engine`'s, with ``"auto"`` decided by :data:`AUTO_EDGES`.  Refuses a
    ``graph`` that is not one.

    >>> choose_engine(nx.path_graph(3), "auto", "pagerank")
    'reference'
    """
    check_graph(function, graph)
    name = check_engine(function, engine, measures)
    if name == "auto":
        return "fast" if graph.number_of_edges() > AUTO_EDGES else "reference"
    return name


def dispatch(
    measure: str,
    graph: GraphLike,
    engine: Any,
    params: dict[str, Any],
    *,
    weight: Any = _NO_WEIGHT,
    undirected: bool = False,
    arrays: bool = False,
    before: Callable[[GraphLike, str], None] | None = None,
    finish: Callable[[pd.DataFrame, dict], tuple[pd.DataFrame, dict]] | None = None,
    **options: Any,
) -> Result:
    """Run ``measure`` on ``graph`` with the chosen engine's implementation; the Result.

    ``params`` go into the provenance (``params["seed"]``, if any, is its seed), ``options``
    to the implementation, ``weight`` to both the conversion and the implementation.
    ``undirected``: the engine sees the graph undirected (noted); ``arrays``: every engine gets
    the arrays form (for measures whose common part works on it); ``before(graph, engine)``
    runs once the engine is chosen, before any conversion (size checks); ``finish(frame,
    summary)`` derives what is the same on every engine.
    """
    name = choose_engine(graph, engine, measure)
    given = {} if weight is _NO_WEIGHT else {"weight": weight}
    found = _IMPLEMENTATIONS[measure][name]
    reason = found.declines(**given, **options) if found.declines else None
    if reason is not None:
        if check_engine(measure, engine) != "auto":
            raise ArgumentError(f"{measure}: {reason}")
        name, found = "reference", _IMPLEMENTATIONS[measure]["reference"]
    if before is not None:
        before(graph, name)
    conversions: list[str] = []
    backend, weight = ENGINES[name], given.get("weight")
    if arrays:
        data, key = as_graph(graph, weight), weight
    else:
        data, key = backend.convert(graph, weight, undirected, conversions)
    out = found.run(data, **({"weight": key} if given else {}), **options)
    frame = out.frame if out.frame is not None else backend.frame(data, out)
    summary = dict(out.summary)
    if finish is not None:
        frame, summary = finish(frame, summary)
    frame = _named(frame, graph)
    return make_result(frame, measure, params, name, seed=params.get("seed"),
                       conversions=[*conversions, *out.conversions], summary=summary, library=out.library,
                       graph=graph, versions=out.versions)


def _named(frame: pd.DataFrame, graph: GraphLike) -> pd.DataFrame:
    """``frame`` with a ``name`` column after ``id`` where the graph's nodes have names.

    A projection carries its nodes' names (:attr:`Graph.attributes <graphkit.Graph.attributes>`);
    a user reading "who is central" looks for them, not only for ids.  Nodes without a name
    (viewers) get ``""``.
    """
    attributes = graph.attributes if isinstance(graph, Graph) else None
    if attributes is None or "name" not in attributes.columns or "name" in frame.columns \
            or not {KIND, ID} <= set(frame.columns):
        return frame
    lookup = pd.Series(attributes["name"].to_numpy(dtype=object), index=graph.keys)
    keys = frame[KIND].astype(str) + KEY_SEPARATOR + frame[ID].astype(str)
    named = keys.map(lookup).to_numpy(dtype=object)
    named[pd.isna(named)] = ""
    frame = frame.copy()
    frame.insert(frame.columns.get_loc(ID) + 1, "name", named)
    return frame


def make_result(frame: pd.DataFrame, function: str, parameters: dict[str, Any], engine: str, *,
                seed: int | None = None, conversions: Iterable[str] = (), summary: dict[str, Any] | None = None,
                library: str | None = None, graph: Any = None, versions: Mapping[str, str] | None = None) -> Result:
    """A :class:`~graphkit.Result` computed by ``engine``.

    ``engine`` is its canonical name, recorded in the parameters; ``library`` names what
    computed (default: ``engine``); ``graph``, the input, gives the analysis graph it is, if
    any (:attr:`Graph.spec <graphkit.Graph.spec>`); ``versions`` adds versions of what no
    installed distribution gives.
    """
    found = library_versions()
    for name in ENGINES[engine].libraries if engine in ENGINES else ():
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    found.update(versions or {})
    spec = getattr(graph, "spec", None) if isinstance(graph, Graph) else None
    provenance = Provenance(function, {**parameters, "engine": engine}, library or engine, seed,
                            tuple(dict.fromkeys(conversions)), found, spec.describe() if spec else None)
    return Result(frame.reset_index(drop=True), provenance, summary or {})


def _fast_convert(graph: GraphLike, weight: Any, undirected_: bool, conversions: list[str]) -> tuple[Graph, Any]:
    g = as_graph(graph, weight)
    return (fast_undirected(g, conversions) if undirected_ else g), weight


def _fast_frame(g: Graph, out: Output) -> pd.DataFrame:
    """Rows by position, sorted on the arrays (no per-row Python)."""
    columns = dict(out.columns)
    rows = None if out.rows is None else np.asarray(out.rows)
    if out.labels and out.by is not None:
        columns[out.by] = relabel(columns[out.by], g.rank() if rows is None else g.rank()[rows])
    return ranked_frame(g, columns, out.by, descending=out.descending and not out.labels, index=rows)


def _reference_convert(graph: GraphLike, weight: Any, undirected_: bool,
                       conversions: list[str]) -> tuple[nx.Graph, Any]:
    if undirected_:
        return undirected(graph, weight, conversions)
    return as_networkx(graph), nx_weight(graph, weight)


def _reference_share(graph: GraphLike, weight: Any, undirected_: bool,
                     conversions: list[str]) -> tuple[GraphLike, Any]:
    """Sorted and undirected once, when asked; a projection otherwise stays one."""
    return undirected(graph, weight, conversions) if undirected_ else (graph, weight)


def _reference_frame(G: nx.Graph, out: Output) -> pd.DataFrame:
    """Rows by networkx node, sorted by the frame's values."""
    nodes = list(G) if out.rows is None else list(out.rows)
    frame = node_columns(G, nodes)
    for name, values in out.columns.items():
        frame[name] = np.asarray([values[n] for n in nodes]) if isinstance(values, Mapping) else np.asarray(values)
    if out.labels and out.by is not None:
        frame[out.by] = canonical_labels(frame, out.by)
    by = [] if out.by is None else [out.by]
    return sort_frame(frame, by, [not out.descending or out.labels] * len(by))


FAST = register_engine(Engine("fast", _fast_convert, _fast_frame, ("networkit", "scipy"), share=_fast_convert))
REFERENCE = register_engine(Engine("reference", _reference_convert, _reference_frame, share=_reference_share))
