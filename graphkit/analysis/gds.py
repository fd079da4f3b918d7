"""``engine="gds"``: the standard measures computed inside Neo4j by Graph Data Science (GDS).

:func:`project` projects an analysis graph (:data:`graphkit.model.ANALYSIS_GRAPHS`) into the
server's GDS catalogue and returns a :class:`GdsGraph`: the node table on the client, the
edges in the server.  Every measure of :func:`graphkit.analyze` then runs there with
``engine="gds"`` (components, Louvain, PageRank, weighted degree, k-core, betweenness); only
each measure's per-node values come back, into the same :class:`~graphkit.Result` as the
other engines give.  :func:`write_back` writes them to the database with GDS's write mode.

The projection is the ``gds.graph.project`` aggregation function over a Cypher query
(``cypher/gds_project.cypher``): GDS's native projection cannot compute the tie weights
(``log2(1 + count)``), so the query computes them as :data:`graphkit.model.ANALYSIS_WEIGHTS`
says and sums parallel relationships (and, undirected, reciprocal ones) into one edge,
exactly as a store's :meth:`~graphkit.stores.base.Store.analysis_graph` does.  A directed
graph gets an undirected copy of its relationships too (``gds.graph.relationships.toUndirected``,
weights summed) for the measures that see it undirected.

Plain Cypher procedure calls through the store's driver seam, not the ``graphdatascience``
client: the calls are a few dozen named statements in ``cypher/`` like every other, their
errors pass through the store's one translation, and no second connection, dependency
(pyarrow and friends) or version matrix comes with them.

Every GDS call is estimated first (``<algorithm>.mutate.estimate``, and
``gds.graph.project.estimate`` for the projection) and refused when the estimate exceeds
the budget (:data:`HEAP_SHARE` of the server's heap).  A projection has a unique name per
run and is dropped when its ``with`` block ends, also on an error or interrupt (and, as a
last resort, when the interpreter exits).

The engine is registered while a projection is open, so that ``engine="gds"`` is offered
only where it can run.  What GDS cannot do as graphkit does is refused with the reason
(``declines``): Louvain at a resolution other than 1 (GDS's Louvain has none), PageRank
restarting with unequal weights, in+out k-cores, subset betweenness.  GDS's Louvain has no
random seed: with ``concurrency=1`` (the default) it is deterministic; the seed is recorded.
"""

from __future__ import annotations

import atexit
import itertools
import threading
import uuid
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graphkit import _repr, model
from graphkit.analysis._arrays import ranked_frame, relabel
from graphkit.analysis._checks import COUNT, check_arguments
from graphkit.analysis._dispatch import ENGINES, Engine, Output, implements, register_engine
from graphkit.analysis._input import TO_UNDIRECTED, lookup
from graphkit.errors import AnalysisError, ArgumentError
from graphkit.graph import Graph

__all__ = ["ENABLE", "GDS", "HEAP_SHARE", "GdsGraph", "memory_message", "project", "write_back"]

#: The engine's name.
GDS = "gds"
#: Share of the server's JVM heap a projection or one algorithm may be estimated to need.
HEAP_SHARE = 0.9
#: How to get a server with GDS (said when it has none).
ENABLE = ("start graphkit's test server with GRAPHKIT_NEO4J_PLUGINS=gds,apoc scripts/neo4j start, or install "
          "Graph Data Science 2.13 into the server's plugins folder (docs/neo4j-server.md, 'GDS and APOC'); "
          "or use engine='fast'")
#: The relationship type of a directed projection's undirected copy.
UNDIRECTED = "graphkit_undirected"
#: The relationship type the aggregation projection gives its relationships.
_ALL = "__ALL__"
#: GDS Louvain's stopping rule, as python-louvain's (``MIN``) and NetworKit's passes.
LOUVAIN_TOLERANCE = 1e-7
LOUVAIN_MAX_ITER = 32

_LOCK = threading.Lock()
_OPEN: weakref.WeakSet[GdsGraph] = weakref.WeakSet()
_PROPERTIES = itertools.count()


def memory_message(what: str, required: str, needed: int, budget: int) -> str:
    """The refusal of a GDS step whose estimate exceeds the budget, with what to do instead.

    >>> memory_message("the projection", "3 GiB", 3 * 2**30, 2**30)
    "GDS estimates the projection needs 3 GiB (3,221 MB), more than the 1,074 MB this server allows ..."
    """
    return (f"GDS estimates {what} needs {required} ({needed / 1e6:,.0f} MB), more than the {budget / 1e6:,.0f} MB "
            f"this server allows ({HEAP_SHARE:.0%} of its heap); raise the heap (server.memory.heap.max_size, "
            "or GRAPHKIT_NEO4J_HEAP for the test server), analyse a smaller analysis graph, or use engine='fast'")


def _run(store: Any, name: str, params: dict[str, Any], *, write: bool = False) -> list[dict[str, Any]]:
    """Rows of the named statement, auto-commit, through the store's session and its error translation."""
    with store._errors(name), store._session(read=not write) as session:
        return [record.data() for record in session.run(store._statement(name), params)]


def _check_memory(store: Any, what: str, statement: str, params: dict[str, Any], budget: int) -> None:
    row = _run(store, statement, params)[0]
    if row["bytesMax"] > budget:
        raise AnalysisError(memory_message(what, row["requiredMemory"], int(row["bytesMax"]), budget))


@dataclass(frozen=True, eq=False, repr=False)
class GdsGraph(Graph):
    """An analysis graph projected into Neo4j's GDS catalogue: nodes here, edges in the server.

    Made by :func:`project`; a context manager that drops the projection when it ends.  The
    node arrays (``ids``, ``kinds``, in a store projection's order) name the rows of every
    result (with the names, :attr:`attributes`); the edge arrays are empty, and the other engines refuse it (their measures would
    need the edges here: project with ``store.analysis_graph(name)`` for them).

    Attributes
    ----------
    name : str
        The projection's name in the catalogue (unique per run).
    node_ids : ndarray of int64
        Each node's Neo4j id, by position (what GDS streams back).
    edges : int
        Edges in the server: pairs of nodes joined (directed: ordered pairs).
    version : str
        The server's GDS version.
    concurrency : int
        Threads each GDS algorithm runs on.
    budget : int
        Bytes a projection or algorithm may be estimated to need.
    """

    store: Any = None
    name: str = ""
    node_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    edges: int = 0
    version: str = ""
    concurrency: int = 1
    budget: int = 0
    state: dict[str, Any] = field(default_factory=dict, repr=False)

    def _describe(self) -> list[str]:
        state = "open" if self.is_open() else "dropped"
        lines = [f"GdsGraph {self.spec.name if self.spec else ''!r} ({'directed' if self.directed else 'undirected'}): "
                 f"{self.number_of_nodes():,} nodes, {self.edges:,} edges in the GDS catalogue as {self.name!r} "
                 f"({state}; GDS {self.version}, concurrency {self.concurrency})"]
        return [*lines, "nodes: " + _repr.counts_text(_repr.value_counts(self.kinds))]

    def number_of_edges(self) -> int:
        """Edges in the server (merged pairs)."""
        return self.edges

    def is_open(self) -> bool:
        """Whether the projection is still in the catalogue (not dropped)."""
        return bool(self.state.get("open"))

    def __enter__(self) -> GdsGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.drop()

    def drop(self) -> None:
        """Drop the projection from the catalogue (nothing if dropped already)."""
        with _LOCK:
            if not self.state.pop("open", False):
                return
            _OPEN.discard(self)
            if not _OPEN:
                ENGINES.pop(GDS, None)  # offered only while a projection is open
        _run(self.store, "gds_drop", {"graph": self.name})

    def _elsewhere(self, *_: Any, **__: Any) -> Any:
        raise AnalysisError(f"this graph is a projection in Neo4j's GDS catalogue ({self.name!r}), its edges in the "
                            "server: run its measures with engine='gds', or project it with "
                            "store.analysis_graph(name) for the other engines")

    merged_edges = merged_types = to_networkx = to_networkit = csr = undirected = _elsewhere  # type: ignore[assignment]

    def positions(self, nodes: Any) -> np.ndarray:
        """The positions of Neo4j node ids (as GDS streams them back)."""
        order = self.state["order"]
        return order[np.searchsorted(self.node_ids[order], np.asarray(nodes, dtype=np.int64))]


def _register() -> None:
    register_engine(Engine(GDS, _convert, _frame, ("neo4j",)))


def project(store: Any, graph: str = "whole", *, concurrency: int = 1, budget: int | None = None) -> GdsGraph:
    """Project the analysis graph ``graph`` of a Neo4j store into its server's GDS catalogue.

    Parameters
    ----------
    store : Neo4jStore
        A store on a server with Graph Data Science (2.13 tested).
    graph : str
        An analysis graph's name (:data:`graphkit.model.ANALYSIS_GRAPHS`).
    concurrency : int
        Threads per GDS algorithm, at least 1.  At 1 (the default) every measure is
        deterministic; GDS's Louvain is not above 1.
    budget : int, optional
        Bytes the projection and each algorithm may be estimated to need; default
        :data:`HEAP_SHARE` of the server's heap.

    Returns
    -------
    GdsGraph
        Use it in a ``with`` block, which drops the projection at its end.

    Raises
    ------
    ArgumentError
        Not a Neo4j store, an unknown graph, a bad ``concurrency``.
    AnalysisError
        A server without GDS (saying how to enable it: :data:`ENABLE`), or a projection
        estimated to need more than the budget.

    Examples
    --------
    Needs a server with GDS, so shown but not run::

        with project(store, "audience") as g:
            ranks = graphkit.pagerank(g, engine="gds")
            analysis = graphkit.analyze(g, engine="gds")
            write_back(g)
    """
    if not callable(getattr(store, "_statement", None)):
        raise ArgumentError(f"gds.project: engine='gds' runs in a Neo4j server; expected a Neo4jStore, got a "
                            f"{type(store).__name__}")
    check_arguments("gds.project", None, concurrency=(concurrency, COUNT))
    try:
        spec = model.analysis_graph(graph)
    except KeyError as exc:
        raise ArgumentError(f"gds.project: {exc.args[0]}") from None
    if not _run(store, "gds_available", {})[0]["found"]:
        raise AnalysisError(f"the Neo4j server at {store.uri} has no Graph Data Science plugin, which "
                            f"engine='gds' needs: {ENABLE}")
    info = _run(store, "gds_version", {})[0]
    budget = int(budget if budget is not None else info["heap_max"] * HEAP_SHARE)
    labels, types = list(spec.nodes), list(spec.relationships)
    _check_memory(store, f"the projection of the {spec.name!r} graph", "gds_project_estimate",
                  {"labels": labels, "types": types, "orientation": "NATURAL" if spec.directed else "UNDIRECTED"},
                  budget)
    found = _run(store, "gds_nodes", {"labels": labels})[0]
    node_ids, kinds, ids, names = (np.asarray(found[k], dtype=dtype) for k, dtype in
                                   (("nodes", np.int64), ("kinds", object), ("ids", object), ("names", object)))
    # A store projection's order: labels as the graph lists them, ids sorted within each.
    order = np.lexsort((ids.astype(str), np.array([labels.index(k) for k in kinds], dtype=np.int64)))
    name = f"graphkit_{spec.name}_{uuid.uuid4().hex[:16]}"
    counts = {t: tie.property for t, tie in model.ANALYSIS_WEIGHTS.items() if tie.property and t in types}
    try:
        projected = _run(store, "gds_project", {"graph": name, "labels": labels, "types": types, "counts": counts,
                                                "directed": spec.directed})[0]["projection"]
        if spec.directed:
            _run(store, "gds_to_undirected", {"graph": name, "type": UNDIRECTED})
        empty = np.zeros(0, dtype=np.int64)
        g = GdsGraph(ids[order], kinds[order], empty, empty, np.zeros(0), np.zeros(0, dtype=object), spec.directed,
                     spec=spec, attributes=pd.DataFrame({"name": names[order]}), store=store, name=name,
                     node_ids=node_ids[order], edges=int(projected["relationshipCount"]) // (1 if spec.directed else 2),
                     version=str(info["version"]), concurrency=int(concurrency), budget=budget)
    except BaseException:  # an error or an interrupt: leave nothing in the catalogue
        _run(store, "gds_drop", {"graph": name})
        raise
    g.state.update(open=True, order=np.argsort(g.node_ids, kind="stable"), written={})
    with _LOCK:
        _OPEN.add(g)
        _register()
    return g


@atexit.register
def _drop_open() -> None:
    """Drop what is still open when the interpreter exits (a script that never closed its projection)."""
    for g in list(_OPEN):
        try:
            g.drop()
        except Exception:  # the server may be gone; nothing else to do at exit
            pass


# -- the engine ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Input:
    """A measure's view of the projection: the relationship types it runs on."""

    graph: GdsGraph
    types: list[str] | None


def _convert(graph: Any, weight: Any, undirected: bool, conversions: list[str]) -> tuple[_Input, Any]:
    if not isinstance(graph, GdsGraph):
        raise ArgumentError("engine='gds' runs on a projection in Neo4j's GDS catalogue, not on a "
                            f"{type(graph).__name__}: make one with graphkit.analysis.gds.project(store, name)")
    if not graph.is_open():
        raise AnalysisError(f"the GDS projection {graph.name!r} was dropped; project the graph again")
    conversions.append(f"projected into the GDS {graph.version} catalogue as {graph.name!r} by gds.graph.project "
                       "(Cypher aggregation: tie weights computed in the query, parallel relationships summed)")
    if graph.directed and undirected:
        conversions.append(TO_UNDIRECTED)
        return _Input(graph, [UNDIRECTED]), weight
    return _Input(graph, [_ALL] if graph.directed else None), weight


def _frame(data: _Input, out: Output) -> Any:
    """Rows by position, as the fast engine's (every node, labels renumbered)."""
    g = data.graph
    columns = dict(out.columns)
    if out.labels and out.by is not None:
        columns[out.by] = relabel(columns[out.by], g.rank())
    return ranked_frame(g, columns, out.by, descending=out.descending and not out.labels)


def _config(data: _Input, weight: Any = None, types: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {"concurrency": data.graph.concurrency, **extra}
    chosen = types if types is not None else data.types
    if chosen is not None:
        config["relationshipTypes"] = chosen
    if weight is not None:
        config["relationshipWeightProperty"] = "weight"
    return config


def _mutate(data: _Input, algorithm: str, config: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Run ``algorithm`` in mutate mode (its estimate checked first); its row and the property it wrote."""
    g = data.graph
    prop = f"graphkit_{algorithm}_{next(_PROPERTIES)}"
    params = {"graph": g.name, "config": {**config, "mutateProperty": prop}}
    _check_memory(g.store, f"{algorithm} on {g.name!r}", f"gds_{algorithm}_estimate", params, g.budget)
    return _run(g.store, f"gds_{algorithm}_mutate", params)[0], prop


def _stream(data: _Input, prop: str, dtype: Any = np.float64, pick: int | None = None) -> np.ndarray:
    """A mutated property's values by node position (``pick``: that entry of list values)."""
    g = data.graph
    row = _run(g.store, "gds_stream_property", {"graph": g.name, "property": prop})[0]
    values = row["values"] if pick is None else [v[pick] for v in row["values"]]
    out = np.zeros(g.number_of_nodes(), dtype=dtype)
    out[g.positions(row["nodes"])] = np.asarray(values, dtype=dtype)
    return out


def _written(data: _Input, column: str, prop: str, *, scale: float = 1.0, labels: np.ndarray | None = None) -> None:
    """Remember what :func:`write_back` writes as ``column``: ``prop``, scaled, or its labels renumbered."""
    mapping = None
    if labels is not None:
        canonical = relabel(labels, data.graph.rank())
        mapping = {str(raw): int(new) for raw, new in dict(zip(labels.tolist(), canonical.tolist())).items()}
    data.graph.state["written"][column] = (prop, scale, mapping)


def _versions(data: _Input) -> dict[str, str]:
    return {"neo4j-gds": data.graph.version}


@implements("components", GDS)
def _components_gds(data: _Input, *, strong: bool) -> Output:
    g = data.graph
    weak_types = [UNDIRECTED] if g.directed else None
    row, prop = _mutate(data, "scc" if strong else "wcc", _config(data, types=None if strong else weak_types))
    labels = _stream(data, prop, np.int64)
    _written(data, "component", prop, labels=labels)
    isolates = _run(g.store, "gds_isolates", {"graph": g.name, "config": _config(data, types=weak_types)})[0]
    n, m = g.number_of_nodes(), g.edges
    summary = {"nodes": n, "edges": m, "density": 0.0 if n < 2 else m / (n * (n - 1)) * (1 if g.directed else 2),
               "isolates": int(isolates["isolates"])}
    return Output(GDS, {"component": labels}, by="component", labels=True, summary=summary,
                  versions=_versions(data))


def _louvain_declines(*, weight: Any, resolution: float, seed: int, level: int | None) -> str | None:
    if resolution != 1.0:
        return (f"GDS's Louvain has no resolution (got {resolution}); pass engine='fast' or 'reference', "
                "or resolution=1")
    return None


@implements("louvain", GDS, declines=_louvain_declines)
def _louvain_gds(data: _Input, *, weight: Any, resolution: float, seed: int, level: int | None) -> Output:
    config = _config(data, weight, tolerance=LOUVAIN_TOLERANCE, maxIterations=LOUVAIN_MAX_ITER,
                     includeIntermediateCommunities=level is not None)
    row, prop = _mutate(data, "louvain", config)
    extra: dict[str, Any] = {}
    if level is None:
        labels, q = _stream(data, prop, np.int64), float(row["modularity"])
        _written(data, "community", prop, labels=labels)
    else:
        levels = int(row["ranLevels"])
        if not 0 <= level < levels:
            raise ArgumentError(f"louvain: level {level} is not in the dendrogram, which has levels 0 to {levels - 1}")
        labels = _stream(data, prop, np.int64, pick=level)
        q, extra = float(row["modularities"][level]), {"level": level, "levels": levels}
    note = f"GDS's Louvain has no random seed (seed {seed} recorded, not used); " + (
        "deterministic at concurrency 1" if data.graph.concurrency == 1 else
        f"at concurrency {data.graph.concurrency} its partition may vary from run to run")
    return Output(GDS, {"community": labels}, by="community", labels=True,
                  summary={"modularity": q, **extra}, conversions=[note], versions=_versions(data))


def _pagerank_declines(*, weight: Any, alpha: float, personalization: dict | None, tol: float,
                       max_iter: int) -> str | None:
    if personalization is not None and len({float(w) for w in personalization.values() if w > 0}) > 1:
        return ("GDS's PageRank restarts at its source nodes with equal weight; give the personalization nodes "
                "equal weights, or pass engine='fast' or 'reference'")
    return None


@implements("pagerank", GDS, declines=_pagerank_declines)
def _pagerank_gds(data: _Input, *, weight: Any, alpha: float, personalization: dict | None, tol: float,
                  max_iter: int) -> Output:
    g = data.graph
    # L1Norm scales the scores to sum 1, as graphkit's; GDS's tolerance bounds each score's change.
    extra: dict[str, Any] = {"dampingFactor": alpha, "tolerance": tol, "maxIterations": max_iter, "scaler": "L1Norm"}
    if personalization is not None:
        named = [n for n, w in personalization.items() if w > 0]
        extra["sourceNodes"] = g.node_ids[lookup(g, named, "pagerank personalization")].tolist()
    row, prop = _mutate(data, "pagerank", _config(data, weight, **extra))
    if not row["didConverge"]:
        raise AnalysisError(f"PageRank did not converge in {max_iter} iterations; raise max_iter or tol")
    _written(data, "pagerank", prop)
    return Output(GDS, {"pagerank": _stream(data, prop)}, by="pagerank",
                  versions=_versions(data))


@implements("degree", GDS)
def _degree_gds(data: _Input, *, weight: Any) -> Output:
    g = data.graph
    found: dict[str, np.ndarray] = {}
    # Directed: both directions (in + out), then each one; undirected: the degree.
    orientations = {"degree": "UNDIRECTED", "in_degree": "REVERSE", "out_degree": "NATURAL"} if g.directed \
        else {"degree": "NATURAL"}
    for column, orientation in orientations.items():
        _, prop = _mutate(data, "degree", _config(data, weight, orientation=orientation))
        found[column] = _stream(data, prop)
        if column == "degree":
            _written(data, "degree", prop)
    return Output(GDS, found, by="degree", versions=_versions(data))


def _core_declines(*, directed: bool) -> str | None:
    if directed:
        return "GDS's k-core needs an undirected graph; pass mode='undirected', or engine='fast' or 'reference'"
    return None


@implements("core_number", GDS, declines=_core_declines)
def _core_number_gds(data: _Input, *, directed: bool) -> Output:
    _, prop = _mutate(data, "kcore", _config(data))
    _written(data, "core_number", prop)
    return Output(GDS, {"core_number": _stream(data, prop, np.int64)}, by="core_number",
                  versions=_versions(data))


def _betweenness_declines(*, weight: Any, k: int | None, sources: Any, targets: Any, **_: Any) -> str | None:
    if sources is not None or targets is not None:
        return "GDS has no subset betweenness (sources, targets); pass engine='fast' or 'reference'"
    return None


@implements("betweenness", GDS, declines=_betweenness_declines)
def _betweenness_gds(data: _Input, *, weight: Any, k: int | None, sample_seed: int, sources: Any, targets: Any,
                     normalized: bool, force: bool, sort_nodes: bool) -> Output:
    g = data.graph
    n = g.number_of_nodes()
    if k is not None and not 2 <= k <= n:
        raise ArgumentError(f"betweenness: k must be between 2 and the number of nodes ({n}), got {k}; "
                            "k = n gives the exact values")
    extra: dict[str, Any] = {} if k is None else {"samplingSize": k, "samplingSeed": sample_seed}
    _, prop = _mutate(data, "betweenness", _config(data, weight, **extra))
    scale = _betweenness_scale(n, k, normalized, g.directed)
    _written(data, "betweenness", prop, scale=scale)
    conversions = [] if k is None else [f"GDS sampled its own {k} sources (samplingSeed {sample_seed}); "
                                        "scaled by n / k as networkx scales a sample"]
    return Output(GDS, {"betweenness": _stream(data, prop) * scale}, by="betweenness",
                  summary={"sources": n if k is None else k}, conversions=conversions, versions=_versions(data))


def _betweenness_scale(n: int, k: int | None, normalized: bool, directed: bool) -> float:
    """GDS's sums (an undirected pair once, as networkx's unnormalised) to graphkit's scale.

    >>> _betweenness_scale(5, None, True, False), _betweenness_scale(5, None, False, False)
    (0.16666666666666666, 1.0)
    """
    if n < 3:
        return 1.0
    correction = 1 if directed else 2
    sampled = 1.0 if k is None else n / k
    return sampled * (correction / ((n - 1) * (n - 2)) if normalized else 1.0)


# -- writing back ----------------------------------------------------------------------------

def write_back(graph: GdsGraph) -> int:
    """Write the latest result of each measure run on ``graph`` to the database, in the server.

    The node properties of :data:`graphkit.model.ANALYSIS_PROPERTIES` (``component``,
    ``community``, ``pagerank``, ``degree``, ``core_number``, ``betweenness``), with the
    values the Results hold: GDS's write mode (``gds.graph.nodeProperties.write``) for the
    scores, and one statement in the server for the labels renumbered as graphkit numbers
    them (0 = the largest group) and betweenness scaled; no rows through the client.

    Returns
    -------
    int
        Nodes written (once per node, however many properties).

    Raises
    ------
    AnalysisError
        The projection was dropped.

    Examples
    --------
    Needs a server with GDS, so shown but not run::

        with project(store, "whole") as g:
            graphkit.analyze(g, engine="gds")
            write_back(g)
    """
    if not graph.is_open():
        raise AnalysisError(f"the GDS projection {graph.name!r} was dropped; nothing to write")
    store, name = graph.store, graph.name
    plain = [{prop: column} for column, (prop, scale, mapping) in _items(graph) if mapping is None and scale == 1.0]
    if plain:
        _run(store, "gds_write_properties", {"graph": name, "properties": plain,
                                             "config": {"concurrency": graph.concurrency}}, write=True)
    labels = list(graph.spec.nodes) if graph.spec else sorted(set(graph.kinds))
    for column, (prop, scale, mapping) in _items(graph):
        if mapping is not None:
            _run(store, "gds_write_labels", {"graph": name, "labels": labels, "property": prop, "name": column,
                                             "mapping": mapping}, write=True)
        elif scale != 1.0:
            _run(store, "gds_write_scaled", {"graph": name, "labels": labels, "property": prop, "name": column,
                                             "scale": scale}, write=True)
    return graph.number_of_nodes() if graph.state["written"] else 0


def _items(graph: GdsGraph) -> Iterator[tuple[str, tuple[str, float, dict | None]]]:
    return iter(graph.state["written"].items())
