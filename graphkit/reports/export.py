"""Graph exports for Gephi and other tools: GEXF 1.3 and GraphML, written as a stream.

Both formats hold the same graph with the same ids: a node is its key ``"<Label>:<id>"``
(:func:`graphkit.model.node_key`), labelled by its name, with the properties a Gephi user
colours, sizes or filters by, each declared with its real type (a community is an
``integer``, PageRank a ``double``, followers a ``long``); see :data:`node_attributes`.
Each relationship is one edge with its type (GEXF's ``kind`` and an attribute ``type``) and
its tie weight (:data:`graphkit.model.ANALYSIS_WEIGHTS`), so the parallel relationships of
two nodes (a viewer who follows a creator and watched its videos) stay apart, with distinct
edge ids, as both formats allow.

Viewers (``viewers=``): ``"segments"``, the default, writes one node per viewer segment
(``age_band`` x ``region_type``) holding its viewer count, and one edge per segment, other
end and relationship type holding the count of viewers and their summed tie weight;
``"omit"`` leaves viewers and their relationships out; ``"all"`` writes every viewer under
its pseudonym.

The files are written in chunks straight from the arrays of a :class:`~graphkit.Graph` and
the node frames, never through a networkx graph, so memory stays bounded by a chunk; text
is escaped with :mod:`xml.sax.saxutils`.  A file is written beside its target and renamed
into place, so a failed export leaves no half-written file.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.errors import ArgumentError
from graphkit.graph import Graph

__all__ = ["EXPORT_FORMATS", "VIEWER_MODES", "DEFAULT_VIEWERS", "SEGMENT_LABEL", "Attribute", "node_attributes",
           "EDGE_ATTRIBUTES", "export_graph"]

EXPORT_FORMATS = ("gexf", "graphml")
#: What becomes of viewer nodes: aggregated into segments, left out, or written one by one.
VIEWER_MODES = ("segments", "omit", "all")
#: 10^5 pseudonymous viewer nodes swamp a Gephi layout and say nothing one by one; segments do.
DEFAULT_VIEWERS = "segments"
#: The label of the segment nodes ``"ViewerSegment:<age_band>/<region_type>"``.
SEGMENT_LABEL = "ViewerSegment"
#: Rows (nodes or edges) formatted and written at a time.
CHUNK = 100_000

_GRAPHML_TYPES = {"string": "string", "boolean": "boolean", "integer": "int", "long": "long", "double": "double"}
# Characters XML 1.0 cannot hold even escaped (C0 controls but tab, newline, CR; U+FFFE/FFFF; lone surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_IN_ATTRIBUTE = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}  # kept through attribute normalisation
_IN_TEXT = {"\r": "&#13;"}


def _version() -> str:
    try:
        return importlib.metadata.version("graphkit")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "(source tree)"


@dataclass(frozen=True)
class Attribute:
    """A node or edge attribute of the exports.

    Parameters
    ----------
    name : str
        Its title in GEXF, ``attr.name`` in GraphML, the key networkx reads it back under.
    type : str
        Its GEXF type (``string``, ``boolean``, ``integer``, ``long``, ``double``); GraphML
        gets the same type under its own name (``int`` for ``integer``).
    description : str
        One line for the documentation.
    """

    name: str
    type: str
    description: str = ""

    @property
    def graphml_type(self) -> str:
        """The type's GraphML name."""
        return _GRAPHML_TYPES[self.type]


def _attribute(prop: model.Property, *, analysis: bool = False) -> Attribute:
    # Counts can pass 2^31 (views); the analysis integers are small indices, GEXF's plain integer.
    numeric = {"integer": "integer" if analysis else "long", "float": "double", "boolean": "boolean"}
    return Attribute(prop.name, numeric.get(prop.type, "string"), prop.description)


def _node_attributes() -> tuple[Attribute, ...]:
    props = [p for kind in model.NODE_KINDS for p in kind.properties] + list(model.DERIVED_PROPERTIES)
    found: dict[str, Attribute] = {
        model.KIND: Attribute(model.KIND, "string", "node label: Creator, Institution, Topic, Viewer or ViewerSegment"),
        model.ID: Attribute(model.ID, "string", "id within its kind (a viewer's pseudonym; a segment's age/region)"),
    }
    shared = {"name": "name of the creator, institution or topic (also the node's label)",
              "followers": "platform-wide follower count of the account", "region": "region, free text"}
    for prop in props:
        attr = _attribute(prop)
        attr = Attribute(attr.name, attr.type, shared.get(attr.name, attr.description))
        if found.setdefault(attr.name, attr).type != attr.type:
            raise ValueError(f"node property {attr.name!r} has two types in the data model")
        if prop.name == model.PRIMARY_TOPIC:
            found["primary_topic_name"] = Attribute("primary_topic_name", "string", "name of the primary topic")
    found["viewers"] = Attribute("viewers", "long", "viewers in the segment (segment nodes)")
    for prop in model.ANALYSIS_PROPERTIES:
        found[prop.name] = _attribute(prop, analysis=True)
    return tuple(found.values())


#: Every node attribute an export may declare, in file order (a file declares those it has values for).
node_attributes: tuple[Attribute, ...] = _node_attributes()
#: The edge attributes; GEXF also writes the weight as the edge's own ``weight`` and the type as its ``kind``.
EDGE_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("type", "string", "relationship type, e.g. FOLLOWS"),
    Attribute("weight", "double", "tie weight (model.ANALYSIS_WEIGHTS); a segment edge: the sum over its viewers"),
    Attribute("viewers", "long", "viewers the segment edge stands for (segment edges)"),
)
_BY_NAME = {a.name: a for a in node_attributes}


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _texts(values: pd.Series, attr: Attribute) -> list[str | None]:
    """Each value as XML-ready text (``None``: missing), not yet escaped."""
    missing = values.isna().to_numpy()
    raw = values.to_numpy(dtype=object)
    if attr.type in ("integer", "long"):
        return [None if m else str(int(v)) for v, m in zip(raw, missing)]
    if attr.type == "double":
        return [None if m else repr(float(v)) for v, m in zip(raw, missing)]
    if attr.type == "boolean":
        return [None if m else ("true" if v else "false") for v, m in zip(raw, missing)]
    out: list[str | None] = []
    for v, m in zip(raw, missing):
        if isinstance(v, (list, tuple, np.ndarray)):
            out.append(model.LIST_SEPARATOR.join(map(str, v)))
        else:
            out.append(None if m else _clean(str(v)))
    return out


class _Format:
    """What differs between GEXF and GraphML: the markup around the same values."""

    def __init__(self, fmt: str) -> None:
        self.gexf = fmt == "gexf"

    def quote(self, text: str) -> str:
        """Text for an attribute value in double quotes."""
        return escape(_clean(text), _IN_ATTRIBUTE)

    def value(self, text: str, attr: Attribute) -> str:
        """Text for an attribute value (GEXF) or element content (GraphML)."""
        if attr.type != "string":
            return text  # numbers and true/false need no escaping
        return escape(text, _IN_ATTRIBUTE) if self.gexf else escape(text, _IN_TEXT)

    def header(self, name: str, description: str, directed: bool, node_attrs: list[Attribute],
               n_nodes: int) -> str:
        edge_type = "directed" if directed else "undirected"
        if self.gexf:
            decl = "".join(f'<attribute id="{a.name}" title="{a.name}" type="{a.type}"/>\n' for a in node_attrs)
            edge_decl = "".join(f'<attribute id="{a.name}" title="{a.name}" type="{a.type}"/>\n'
                                for a in EDGE_ATTRIBUTES if a.name != "weight")
            return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                    'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n'
                    f'<meta><creator>graphkit {_version()}</creator>'
                    f'<description>{escape(description)}</description></meta>\n'
                    f'<graph mode="static" defaultedgetype="{edge_type}">\n'
                    f'<attributes class="node" mode="static">\n{decl}</attributes>\n'
                    f'<attributes class="edge" mode="static">\n{edge_decl}</attributes>\n'
                    f'<nodes count="{n_nodes}">\n')
        keys = [("node", "label", "string")] + [("node", a.name, a.graphml_type) for a in node_attrs]
        keys += [("edge", a.name, a.graphml_type) for a in EDGE_ATTRIBUTES]
        decl = "".join(f'<key id="{d[0]}_{n}" for="{d}" attr.name="{n}" attr.type="{t}"/>\n' for d, n, t in keys)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation='
                '"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
                f'<!-- graphkit {_version()}: {escape(description).replace("--", "- -")} -->\n{decl}'
                f'<graph id="{self.quote(name)}" edgedefault="{edge_type}">\n')

    def fragment(self, attr: Attribute, text: str) -> str:
        if self.gexf:
            return f'<attvalue for="{attr.name}" value="{text}"/>'
        return f'<data key="n_{attr.name}">{text}</data>'

    def node(self, key: str, label: str, values: str) -> str:
        if self.gexf:
            return f'<node id="{key}" label="{label}"><attvalues>{values}</attvalues></node>\n'
        return f'<node id="{key}"><data key="n_label">{label}</data>{values}</node>\n'

    def between(self, n_edges: int) -> str:
        return f'</nodes>\n<edges count="{n_edges}">\n' if self.gexf else ""

    def edge_parts(self, rel_type: str) -> tuple[str, str]:
        """What goes between the ends and the weight, and after the weight, of an edge of ``rel_type``."""
        t = self.quote(rel_type)
        if self.gexf:
            return f'" kind="{t}" weight="', f'"><attvalues><attvalue for="type" value="{t}"/>'
        return f'"><data key="e_type">{escape(_clean(rel_type))}</data><data key="e_weight">', "</data>"

    def edge_viewers(self, count: int) -> str:
        if self.gexf:
            return f'<attvalue for="viewers" value="{count}"/></attvalues></edge>\n'
        return f'<data key="e_viewers">{count}</data></edge>\n'

    def edge_end(self) -> str:
        return "</attvalues></edge>\n" if self.gexf else "</edge>\n"

    def footer(self) -> str:
        return "</edges>\n</graph>\n</gexf>\n" if self.gexf else "</graph>\n</graphml>\n"


@dataclass
class _NodeBlock:
    """Nodes of one kind to write: keys, labels and each attribute's values, aligned."""

    keys: np.ndarray
    labels: list[str]
    columns: dict[str, pd.Series]


def _node_blocks(graph: Graph, nodes: Mapping[str, pd.DataFrame], measures: pd.DataFrame | None,
                 viewers: str, segments: pd.DataFrame | None) -> list[_NodeBlock]:
    topic_names = _names(nodes.get(model.TOPIC.label))
    blocks = []
    kinds = graph.kinds.astype(str)
    for label in pd.unique(kinds):
        if label == model.VIEWER.label and viewers != "all":
            continue
        where = np.flatnonzero(kinds == label)
        ids = pd.Series(graph.ids[where], dtype=object)
        columns: dict[str, pd.Series] = {model.KIND: pd.Series(label, index=ids.index), model.ID: ids.astype(str)}
        frames = [f for f in (nodes.get(label), _measures_of(measures, label)) if f is not None and len(f)]
        for frame in frames:
            rows = pd.Index(frame[model.ID].astype(str)).get_indexer(ids.astype(str))
            for col in frame.columns:
                if col in _BY_NAME and col not in model.NODE_COLUMNS:
                    values = frame[col].iloc[np.maximum(rows, 0)].reset_index(drop=True)
                    columns[col] = values.where(pd.Series(rows >= 0), None) if (rows < 0).any() else values
        if model.PRIMARY_TOPIC in columns and topic_names is not None:
            columns["primary_topic_name"] = columns[model.PRIMARY_TOPIC].map(topic_names)
        keys = graph.keys[where]
        named = columns.get("name")
        if named is None:
            labels = [str(k) for k in keys]
        else:  # a node without a name (a viewer) is labelled by its key
            labels = [str(k) if m else str(n) for k, n, m in zip(keys, named.to_numpy(dtype=object), named.isna())]
        blocks.append(_NodeBlock(keys, labels, columns))
    if segments is not None and len(segments):
        columns = {model.KIND: pd.Series(SEGMENT_LABEL, index=segments.index),
                   model.ID: segments["age_band"] + "/" + segments["region_type"],
                   "age_band": segments["age_band"], "region_type": segments["region_type"],
                   "viewers": segments["viewers"]}
        labels = [f"viewers {a}, {r}" for a, r in zip(segments["age_band"], segments["region_type"])]
        blocks.append(_NodeBlock(segments["key"].to_numpy(dtype=object), labels, columns))
    return blocks


def _names(topics: pd.DataFrame | None) -> pd.Series | None:
    if topics is None or "name" not in topics.columns:
        return None
    return pd.Series(topics["name"].to_numpy(dtype=object), index=topics[model.ID].astype(str).to_numpy())


def _measures_of(measures: pd.DataFrame | None, label: str) -> pd.DataFrame | None:
    if measures is None:
        return None
    return measures[measures[model.KIND].astype(str) == label].drop(columns=[model.KIND])


def _segment_table(graph: Graph, viewer_frame: pd.DataFrame | None) -> tuple[pd.DataFrame, np.ndarray]:
    """The segments present (key, age_band, region_type, viewers) and each node's segment (-1: none)."""
    where = np.flatnonzero(graph.kinds.astype(str) == model.VIEWER.label)
    age = pd.Series("unknown", index=range(len(where)), dtype=object)
    region = age.copy()
    if viewer_frame is not None and len(viewer_frame):
        rows = pd.Index(viewer_frame[model.ID].astype(str)).get_indexer(graph.ids[where].astype(str))
        found = rows >= 0
        for target, col in ((age, "age_band"), (region, "region_type")):
            if col in viewer_frame.columns:
                values = viewer_frame[col].to_numpy(dtype=object)[rows[found]]
                target[found] = pd.Series(values, dtype=object).fillna("unknown").to_numpy()
    # Segments in the data model's order of age bands, then region types.
    age_c = pd.Categorical(age, categories=list(dict.fromkeys([*model.AGE_BANDS, *sorted(set(age))])))
    region_c = pd.Categorical(region, categories=list(dict.fromkeys([*model.REGION_TYPES, *sorted(set(region))])))
    code = age_c.codes.astype(np.int64) * len(region_c.categories) + region_c.codes
    present, inverse, counts = np.unique(code, return_inverse=True, return_counts=True)
    ages = np.asarray(age_c.categories, dtype=object)[present // len(region_c.categories)]
    regions = np.asarray(region_c.categories, dtype=object)[present % len(region_c.categories)]
    table = pd.DataFrame({"age_band": ages, "region_type": regions, "viewers": counts.astype(np.int64)})
    table["key"] = [model.node_key(SEGMENT_LABEL, f"{a}/{r}") for a, r in zip(ages, regions)]
    segment_of = np.full(graph.number_of_nodes(), -1, dtype=np.int64)
    segment_of[where] = inverse.reshape(-1)
    return table, segment_of


@dataclass
class _Edges:
    """Edges to write: end positions into the written keys, type codes, weights, viewer counts (or None)."""

    source: np.ndarray
    target: np.ndarray
    type_code: np.ndarray
    weight: np.ndarray
    viewers: np.ndarray | None


def _edges(graph: Graph, viewers: str, segment_of: np.ndarray | None,
           types: np.ndarray) -> tuple[_Edges, _Edges | None]:
    """The relationships written one by one, and the segment edges (``viewers="segments"``)."""
    s, t = np.asarray(graph.source, dtype=np.int64), np.asarray(graph.target, dtype=np.int64)
    w = np.asarray(graph.weight, dtype=np.float64)
    if viewers == "all" or segment_of is None:
        return _Edges(s, t, types, w, None), None
    touches = (segment_of[s] >= 0) | (segment_of[t] >= 0)
    plain = np.flatnonzero(~touches)
    own = _Edges(s[plain], t[plain], types[plain], w[plain], None)
    if viewers == "omit":
        return own, None
    n = graph.number_of_nodes()
    rows = np.flatnonzero(touches)
    # A viewer end becomes its segment's position, n + segment index.
    ends = pd.DataFrame({
        "s": np.where(segment_of[s[rows]] >= 0, n + segment_of[s[rows]], s[rows]),
        "t": np.where(segment_of[t[rows]] >= 0, n + segment_of[t[rows]], t[rows]),
        "type": types[rows], "w": w[rows]})
    grouped = ends.groupby(["type", "s", "t"], sort=True)["w"].agg(["size", "sum"]).reset_index()
    return own, _Edges(grouped["s"].to_numpy(), grouped["t"].to_numpy(), grouped["type"].to_numpy(),
                       grouped["sum"].to_numpy(dtype=np.float64), grouped["size"].to_numpy(dtype=np.int64))


def _chunks(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(start + size, total)


def export_graph(
    graph: Graph,
    path: str | Path,
    *,
    nodes: Mapping[str, pd.DataFrame] | None = None,
    measures: pd.DataFrame | None = None,
    viewers: str = DEFAULT_VIEWERS,
    progress: Callable[[str], None] | None = None,
    chunk_size: int = CHUNK,
) -> Path:
    """Write ``graph`` for Gephi (``.gexf``, GEXF 1.3) or as GraphML (``.graphml``), streaming.

    Parameters
    ----------
    graph : Graph
        The graph to write, usually ``store.analysis_graph("whole")`` (weights are tie
        weights, edges as the data model directs them).
    path : str or Path
        The file; its extension picks the format.
    nodes : mapping of str to DataFrame, optional
        Node frames by label (``store.nodes(label)``): the properties of
        :data:`node_attributes` they hold are written, with their types.
    measures : DataFrame, optional
        ``kind``, ``id`` and analysis columns (e.g. a :class:`~graphkit.Result` frame) to
        write besides, or instead of, those the node frames hold.
    viewers : {"segments", "omit", "all"}
        Viewer nodes as segment nodes (default), left out, or each under its pseudonym.
    progress : callable, optional
        Called with one line per step and per chunk written, with counts.
    chunk_size : int
        Nodes or edges formatted at a time (memory grows with it, not with the graph).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ArgumentError
        ``path`` ends neither in ``.gexf`` nor in ``.graphml``, an unknown ``viewers``
        mode, or a ``chunk_size`` below 1 (also a :class:`ValueError`).

    Examples
    --------
    >>> import numpy as np, pandas as pd, tempfile, os, networkx as nx
    >>> g = Graph(np.array(["c1", "t1"], dtype=object), np.array(["Creator", "Topic"], dtype=object),
    ...           np.array([0]), np.array([1]), np.array([2.0]), np.array(["PUBLISHES_ON"], dtype=object))
    >>> creators = pd.DataFrame({"id": ["c1"], "name": ["物理 & <Co>"], "community": [3]})
    >>> path = export_graph(g, os.path.join(tempfile.mkdtemp(), "g.gexf"), nodes={"Creator": creators})
    >>> read = nx.read_gexf(path)
    >>> read.nodes["Creator:c1"]["label"], read.nodes["Creator:c1"]["community"]
    ('物理 & <Co>', 3)
    >>> list(read.edges(data="type"))
    [('Creator:c1', 'Topic:t1', 'PUBLISHES_ON')]
    """
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in EXPORT_FORMATS:
        raise ArgumentError(f"cannot export to {path.name}: use a .gexf or .graphml file name")
    if viewers not in VIEWER_MODES:
        raise ArgumentError(f"viewers must be one of {', '.join(VIEWER_MODES)}, got {viewers!r}")
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ArgumentError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    say = progress or (lambda _line: None)
    nodes = dict(nodes or {})
    has_viewers = bool(np.any(graph.kinds.astype(str) == model.VIEWER.label))
    segments, segment_of = (_segment_table(graph, nodes.get(model.VIEWER.label))
                            if has_viewers and viewers != "all" else (None, None))
    type_names, type_codes = np.unique(graph.rel_types.astype(str), return_inverse=True)
    own, by_segment = _edges(graph, viewers, segment_of, type_codes.reshape(-1).astype(np.int64))
    blocks = _node_blocks(graph, nodes, measures, viewers, segments if viewers == "segments" else None)

    out = _Format(fmt)
    written = [a for a in node_attributes if any(a.name in b.columns for b in blocks)]
    n_nodes = sum(len(b.keys) for b in blocks)
    n_edges = len(own.source) + (len(by_segment.source) if by_segment is not None else 0)
    name = graph.spec.name if graph.spec is not None else "graph"
    description = f"the {name!r} graph of a graphkit store; viewers: {viewers}"
    say(f"writing {fmt.upper()} to {path}: {n_nodes} nodes, {n_edges} edges (viewers: {viewers})")
    ends = np.array([out.quote(str(k)) for k in graph.keys], dtype=object)  # escaped once, used by every edge
    if segments is not None:
        ends = np.concatenate([ends, np.array([out.quote(k) for k in segments["key"]], dtype=object)])
    parts = [out.edge_parts(t) for t in type_names]
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as file:
            file.write(out.header(name, description, graph.directed, written, n_nodes))
            done = 0
            for block in blocks:
                for start, stop in _chunks(len(block.keys), chunk_size):
                    file.write(_node_text(out, block, written, start, stop))
                    done += stop - start
                    say(f"  nodes: {done}/{n_nodes}")
            file.write(out.between(n_edges))
            done = 0
            for edges in (own, by_segment):
                if edges is None:
                    continue
                for start, stop in _chunks(len(edges.source), chunk_size):
                    file.write(_edge_text(out, edges, ends, parts, done, start, stop))
                    done += stop - start
                    say(f"  edges: {done}/{n_edges}")
            file.write(out.footer())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    say(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return path


def _node_text(out: _Format, block: _NodeBlock, attrs: list[Attribute], start: int, stop: int) -> str:
    columns = []
    for attr in attrs:
        values = block.columns.get(attr.name)
        if values is None:
            continue
        texts = _texts(values.iloc[start:stop], attr)
        columns.append([("" if v is None else out.fragment(attr, out.value(v, attr))) for v in texts])
    keys = [out.quote(str(k)) for k in block.keys[start:stop]]
    label = _BY_NAME["name"]
    labels = [out.value(_clean(lab), label) for lab in block.labels[start:stop]]
    rows = map("".join, zip(*columns)) if columns else iter([""] * (stop - start))
    return "".join(out.node(k, lab, row) for k, lab, row in zip(keys, labels, rows))


def _edge_text(out: _Format, edges: _Edges, ends: np.ndarray, parts: list[tuple[str, str]], first_id: int,
               start: int, stop: int) -> str:
    sources = ends[edges.source[start:stop]]
    targets = ends[edges.target[start:stop]]
    codes = edges.type_code[start:stop].tolist()
    weights = edges.weight[start:stop].tolist()
    ids = range(first_id, first_id + stop - start)
    if edges.viewers is None:
        tail = out.edge_end()
        return "".join(f'<edge id="e{i}" source="{a}" target="{b}{parts[c][0]}{w!r}{parts[c][1]}{tail}'
                       for i, a, b, c, w in zip(ids, sources, targets, codes, weights))
    counts = edges.viewers[start:stop].tolist()
    return "".join(f'<edge id="e{i}" source="{a}" target="{b}{parts[c][0]}{w!r}{parts[c][1]}{out.edge_viewers(v)}'
                   for i, a, b, c, w, v in zip(ids, sources, targets, codes, weights, counts))
