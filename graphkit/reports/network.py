"""The report's interactive network view: sigma.js and graphology inlined, nothing loaded from the network.

:func:`network_nodes` picks what to show from a projection and its analysis (the most
central creators and institutions and the ties among them); :func:`network_view` lays them
out in Python (a seeded networkx spring layout, so the page is the same on every run and the
canvas is never blank) and returns an HTML fragment that draws them with sigma.js: nodes
coloured by community (:data:`PALETTE`) and sized by a centrality, a legend of communities,
and a search box that highlights and centres the node a name matches.

The JavaScript is one bundle of sigma 3 and graphology built from ``js/`` by
``scripts/setup-js`` (``npm ci`` runs ``js/build.mjs``) into ``js/dist/network-view.js``;
``GRAPHKIT_NETWORK_BUNDLE`` names another file.  It is inlined once per page
(:func:`bundle_script`).  In the page, ``window.GraphkitNetwork.views[id]`` holds each view's
graphology ``graph`` (so ``views[id].graph.order`` is its node count), its sigma ``renderer``
and ``select(name)``, what the search box calls.  Sigma draws with WebGL; a browser without
it shows a line saying so instead of the canvas.  (Sigma 3.0.3, not 4.0.4: sigma 4 fills the
whole canvas with one node's colour under Chromium's software WebGL, SwiftShader, which every
machine without a GPU uses; the browser test's pixel check catches that.)
"""

from __future__ import annotations

import hashlib
import json
import re
from html import escape
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphkit import config, model
from graphkit.analysis._checks import COUNT, check_arguments, check_known
from graphkit.analysis._frames import check_frame
from graphkit.analysis.pipeline import Analysis
from graphkit.errors import ArgumentError, GraphkitError
from graphkit.graph import Graph

__all__ = [
    "BUNDLE_ENV",
    "MAX_NODES",
    "PALETTE",
    "NetworkBundleMissing",
    "bundle_path",
    "bundle_script",
    "network_nodes",
    "network_view",
]

#: The environment variable naming the bundle file, instead of ``js/dist/network-view.js``.
BUNDLE_ENV = "GRAPHKIT_NETWORK_BUNDLE"
#: Colours of the communities shown, largest first (Tableau 10 less its grey, which is
#: :data:`OTHER_COLOUR`, for communities past the palette).
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")
OTHER_COLOUR = "#a0a0a0"
#: The most nodes one view draws: the layout and the page stay quick, and a reader can still
#: find a name.
MAX_NODES = 1000

_ROOT = Path(__file__).resolve().parents[2]
_NODE_COLUMNS = ("key", "label", "kind", "community", "size")
_EDGE_COLUMNS = ("source", "target")
_CSS = """
.gk-network{margin:1em 0}.gk-network-canvas{position:relative;width:100%;height:560px;border:1px solid #ddd;
background:#fff}.gk-network-controls{display:flex;gap:1em;align-items:center;margin:.4em 0;font-size:.9em}
.gk-network-search{width:18em}.gk-network-status{color:#555}
.gk-network-legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3em 1.2em;font-size:.85em}
.gk-network-legend li::before{content:"";display:inline-block;width:.8em;height:.8em;border-radius:50%;
margin-right:.35em;background:var(--c);vertical-align:-.05em}
"""


class NetworkBundleMissing(GraphkitError):
    """The network view's JavaScript bundle has not been built (``scripts/setup-js`` builds it)."""


def bundle_path() -> Path:
    """Where the network view's bundle is read from: ``$GRAPHKIT_NETWORK_BUNDLE`` or ``js/dist/network-view.js``.

    Examples
    --------
    >>> bundle_path().name
    'network-view.js'
    """
    return config.network_bundle() or _ROOT / "js" / "dist" / "network-view.js"


def bundle_script() -> str:
    """The ``<style>`` and inline ``<script>`` of the network view: once per page, after its views.

    Raises
    ------
    NetworkBundleMissing
        The bundle file is missing.

    Examples
    --------
    >>> try:
    ...     page_part = bundle_script()
    ... except NetworkBundleMissing as missing:  # js/ not built on this machine
    ...     page_part = "<style>" if "scripts/setup-js" in str(missing) else str(missing)
    >>> page_part.startswith("<style>")
    True
    """
    path = bundle_path()
    try:
        code = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NetworkBundleMissing(
            f"the network view's JavaScript bundle {path} is missing; build it with scripts/setup-js "
            f"(or: npm --prefix js ci, then npm --prefix js run build), or set {BUNDLE_ENV} to a built copy"
        ) from None
    # Only "</script" and "<!--" can end or upset a script element early; "<\/" means "</" in any JS string.
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")
    return f"<style>{_CSS}</style>\n<script>{code}</script>"


def _json_for_script(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` can end the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _layout(nodes: pd.DataFrame, edges: pd.DataFrame, seed: int) -> np.ndarray:
    """Positions in [-1, 1]^2 by a seeded spring layout in which each community pulls its members together.

    Every node is tied to an undrawn hub of its community, and every hub to an undrawn
    centre, so communities sit apart even where the shown ties are few and no group of
    nodes without a shown tie drifts to the rim.
    """
    layout = nx.Graph()
    layout.add_nodes_from(range(len(nodes)))
    position = pd.Series(np.arange(len(nodes)), index=nodes["key"].to_numpy())
    if len(edges):
        weight = edges["weight"].to_numpy(float) if "weight" in edges.columns else np.ones(len(edges))
        weight = weight / max(float(np.max(weight)), 1e-12)
        for s, t, w in zip(position[edges["source"]].to_numpy(), position[edges["target"]].to_numpy(), weight):
            if s != t:
                layout.add_edge(int(s), int(t), weight=0.5 + float(w))
    for i, community in enumerate(nodes["community"].to_numpy()):
        layout.add_edge(i, ("hub", int(community)), weight=0.6)
    for community in np.unique(nodes["community"].to_numpy()):  # one piece: no community drifts off the canvas
        layout.add_edge(("hub", int(community)), "centre", weight=0.3)
    spring = nx.spring_layout(layout, seed=seed, weight="weight", iterations=200)
    return np.array([spring[i] for i in range(len(nodes))], dtype=float).reshape(len(nodes), 2)


def network_view(nodes: pd.DataFrame, edges: pd.DataFrame, *, title: str = "Network",
                 community_labels: dict[int, str] | None = None, size_label: str = "PageRank",
                 seed: int = 0, include_bundle: bool = True, view_id: str | None = None) -> str:
    """An interactive network as an HTML fragment: nodes coloured by community, sized by a centrality, searchable.

    Parameters
    ----------
    nodes : DataFrame
        One row per node: ``key`` (unique text), ``label`` (the name shown and searched),
        ``kind``, ``community`` (integer) and ``size`` (the centrality, >= 0; the view scales
        its square root to 3 to 16 pixels); optional ``x`` and ``y`` place the nodes,
        otherwise a spring layout seeded with ``seed`` does.  At most :data:`MAX_NODES` rows.
    edges : DataFrame
        ``source`` and ``target`` (keys in ``nodes``), optional ``weight`` (>= 0).
    title : str
        The view's heading.
    community_labels : dict of int to str, optional
        A few words per community for the legend (e.g. its top topics).
    size_label : str
        What ``size`` is, for the note under the view.
    seed : int
        Seed of the layout.
    include_bundle : bool
        Whether the fragment ends with :func:`bundle_script`; a page with several views
        includes it once.
    view_id : str, optional
        The ``id`` of the view's element; by default one made from its data, so the same
        data gives the same page.

    Returns
    -------
    str
        A ``<div class="gk-network">`` (heading, search box, canvas container, legend, note),
        the graph as JSON in a ``<script type="application/json">``, then the bundle.

    Raises
    ------
    ArgumentError
        A frame without its columns, duplicate or unknown keys, too many nodes, or a
        negative size.
    NetworkBundleMissing
        ``include_bundle`` and the bundle has not been built.

    Examples
    --------
    >>> nodes = pd.DataFrame({"key": ["Creator:c1", "Institution:i1"], "label": ["物理小课堂", "Lab"],
    ...                       "kind": ["Creator", "Institution"], "community": [0, 0], "size": [0.6, 0.4]})
    >>> edges = pd.DataFrame({"source": ["Creator:c1"], "target": ["Institution:i1"]})
    >>> html = network_view(nodes, edges, title="Who is central", include_bundle=False)
    >>> html.startswith('<div class="gk-network"'), '"label":"物理小课堂"' in html
    (True, True)
    """
    function = "network_view"
    nodes = check_frame(function, "nodes", nodes, _NODE_COLUMNS)
    edges = check_frame(function, "edges", edges, _EDGE_COLUMNS)
    if len(nodes) > MAX_NODES:
        raise ArgumentError(f"{function}: at most {MAX_NODES} nodes can be drawn, got {len(nodes)}; "
                            "choose fewer (network_nodes(..., top=...))")
    keys = nodes["key"].astype(str)
    if keys.duplicated().any():
        raise ArgumentError(f"{function}: node keys must be unique; {keys[keys.duplicated()].iloc[0]!r} repeats")
    check_known(function, "edge end", pd.concat([edges["source"], edges["target"]]).astype(str), set(keys),
                where="nodes has")
    size = pd.to_numeric(nodes["size"], errors="coerce").fillna(0.0).to_numpy(float)
    if (size < 0).any():
        raise ArgumentError(f"{function}: size must be >= 0, got {size.min()!r}")
    community = pd.to_numeric(nodes["community"], errors="coerce").fillna(-1).astype(int).to_numpy()
    nodes = nodes.assign(key=keys, community=community)
    edges = edges.assign(source=edges["source"].astype(str), target=edges["target"].astype(str))
    if {"x", "y"} <= set(nodes.columns):
        xy = nodes[["x", "y"]].to_numpy(float)
    else:
        xy = _layout(nodes, edges, seed)

    # Communities by how many shown nodes they hold, largest first; the palette colours the first few.
    counts = pd.Series(community).value_counts()
    order = sorted(counts.index, key=lambda c: (-counts[c], c))
    colour = {c: PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, c in enumerate(order)}
    labels = community_labels or {}
    scaled = 3 + 13 * np.sqrt(size / size.max()) if len(size) and size.max() > 0 else np.full(len(size), 5.0)
    weight = pd.to_numeric(edges["weight"], errors="coerce").fillna(1.0).to_numpy(float) \
        if "weight" in edges.columns else np.ones(len(edges))
    thick = 0.5 + 2 * weight / weight.max() if len(weight) and weight.max() > 0 else np.ones(len(edges))
    data = {
        "nodes": [{"key": k, "label": str(lab), "kind": str(kind), "community": int(c), "size": round(float(s), 2),
                   "color": colour[c], "x": round(float(x), 5), "y": round(float(y), 5)}
                  for k, lab, kind, c, s, (x, y) in zip(keys, nodes["label"], nodes["kind"], community, scaled, xy)],
        "edges": [{"source": s, "target": t, "size": round(float(w), 2)}
                  for s, t, w in zip(edges["source"], edges["target"], thick)],
        "communities": [{"community": int(c), "color": colour[c], "nodes": int(counts[c]),
                         "label": str(labels.get(int(c), ""))} for c in order],
    }
    payload = _json_for_script(data)
    view_id = view_id or "gk-network-" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:10]

    legend_items = []
    for entry in data["communities"][:len(PALETTE)]:
        words = f": {entry['label']}" if entry["label"] else ""
        legend_items.append(f'<li style="--c:{entry["color"]}">community {entry["community"]}{escape(words)} '
                            f'({entry["nodes"]} shown)</li>')
    rest = data["communities"][len(PALETTE):]
    if rest:
        legend_items.append(f'<li style="--c:{OTHER_COLOUR}">{len(rest)} other communities '
                            f'({sum(e["nodes"] for e in rest)} shown)</li>')
    kinds = pd.Series(nodes["kind"].astype(str)).value_counts()
    shown = ", ".join(f"{n} {k.lower()}{'s' if n != 1 else ''}" for k, n in kinds.sort_index().items())
    note = (f"{shown} and the {len(edges)} ties among them; size: {size_label}, colour: community. "
            "Type a name to find it; drag to pan, scroll to zoom.")
    names = "".join(f'<option value="{escape(str(lab))}">' for lab in sorted(set(map(str, nodes["label"]))))
    parts = [
        f'<div class="gk-network" id="{escape(view_id)}" data-gk-data="{escape(view_id)}-data">',
        f"<h3>{escape(title)}</h3>",
        '<div class="gk-network-controls"><label>Find a name '
        f'<input type="search" class="gk-network-search" list="{escape(view_id)}-names" autocomplete="off"></label>'
        f'<datalist id="{escape(view_id)}-names">{names}</datalist>'
        '<span class="gk-network-status" aria-live="polite"></span></div>',
        '<div class="gk-network-canvas"></div>',
        f'<ul class="gk-network-legend">{"".join(legend_items)}</ul>',
        f'<p class="note">{escape(note)}</p>',
        "</div>",
        f'<script type="application/json" id="{escape(view_id)}-data">{payload}</script>',
    ]
    if include_bundle:
        parts.append(bundle_script())
    return "\n".join(parts)


def network_nodes(graph: Graph, measures: pd.DataFrame | Analysis, *,
                  kinds: tuple[str, ...] = (model.CREATOR.label, model.INSTITUTION.label), top: int = 100,
                  size: str = "pagerank", community: str = "community",
                  names: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The most central nodes of ``kinds`` and the ties among them, ready for :func:`network_view`.

    Parameters
    ----------
    graph : Graph
        The projection the measures were computed on (``store.analysis_graph(name)``); its
        edges among the chosen nodes are the ties shown (directions dropped, parallel
        relationships merged, weights summed).
    measures : DataFrame or Analysis
        ``kind``, ``id``, the ``size`` column and the ``community`` column per node, e.g.
        :meth:`Analysis.nodes` (an :class:`Analysis` is read that way).
    kinds : tuple of str
        The node labels shown.
    top : int
        How many of each kind, by ``size`` (ties broken by id).
    size : str
        The centrality that chooses and sizes the nodes.
    community : str
        The column colouring them.
    names : DataFrame, optional
        ``kind``, ``id``, ``name``, for a graph without a ``name`` attribute; otherwise the
        graph's names are used.  A node without a name is labelled by its id.

    Returns
    -------
    nodes : DataFrame
        ``key``, ``label``, ``kind``, ``id``, ``community``, ``size``, sorted by kind, then
        ``size`` descending, then id.
    edges : DataFrame
        ``source``, ``target`` (keys, ``source < target``), ``weight``, sorted by both ends.

    Raises
    ------
    ArgumentError
        ``graph`` not a Graph, ``top`` not an integer >= 1, or a column or kind unknown.

    Examples
    --------
    >>> import numpy as np
    >>> g = Graph(np.array(["c1", "c2", "t1"], dtype=object), np.array(["Creator", "Creator", "Topic"], dtype=object),
    ...           np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([2.0, 1.0, 1.0]),
    ...           np.array(["COLLABORATES_WITH", "PUBLISHES_ON", "PUBLISHES_ON"], dtype=object))
    >>> measures = pd.DataFrame({"kind": ["Creator", "Creator", "Topic"], "id": ["c1", "c2", "t1"],
    ...                          "pagerank": [0.5, 0.3, 0.2], "community": [0, 0, 1]})
    >>> nodes, edges = network_nodes(g, measures, kinds=("Creator",))
    >>> nodes[["key", "label", "size"]].values.tolist(), edges.values.tolist()
    ([['Creator:c1', 'c1', 0.5], ['Creator:c2', 'c2', 0.3]], [['Creator:c1', 'Creator:c2', 2.0]])
    """
    function = "network_nodes"
    if not isinstance(graph, Graph):
        raise ArgumentError(f"{function}: graph must be a graphkit.Graph (store.analysis_graph(name)), "
                            f"got a {type(graph).__name__}")
    check_arguments(function, None, top=(top, COUNT))
    frame = measures.nodes() if isinstance(measures, Analysis) else measures
    frame = check_frame(function, "measures", frame, (model.KIND, model.ID, size, community))
    check_known(function, "kind", kinds, set(graph.kinds.astype(str)))

    chosen = frame[frame[model.KIND].isin(kinds)].assign(_size=pd.to_numeric(frame[size], errors="coerce"),
                                                           _id=frame[model.ID].astype(str))
    chosen = (chosen.sort_values([model.KIND, "_size", "_id"], ascending=[True, False, True], kind="mergesort")
              .groupby(model.KIND, sort=False).head(top))
    keys = chosen[model.KIND].astype(str) + model.KEY_SEPARATOR + chosen["_id"]
    out = pd.DataFrame({"key": keys.to_numpy(), "label": chosen["_id"].to_numpy(), "kind": chosen[model.KIND].to_numpy(),
                        "id": chosen[model.ID].to_numpy(),
                        "community": pd.to_numeric(chosen[community], errors="coerce").fillna(-1).astype(int).to_numpy(),
                        "size": chosen["_size"].fillna(0.0).to_numpy()})

    # Names: the graph's own name attribute, else the frame given, else the id.
    graph_keys = pd.Series(graph.keys)
    if graph.attributes is not None and "name" in graph.attributes.columns:
        lookup = pd.Series(graph.attributes["name"].to_numpy(dtype=object), index=graph_keys.to_numpy())
    elif names is not None:
        named = check_frame(function, "names", names, (model.KIND, model.ID, "name"))
        lookup = pd.Series(named["name"].to_numpy(dtype=object),
                           index=(named[model.KIND].astype(str) + model.KEY_SEPARATOR + named[model.ID].astype(str)))
        lookup = lookup[~lookup.index.duplicated()]
    else:
        lookup = pd.Series(dtype=object)
    label = out["key"].map(lookup)
    out["label"] = label.where(label.notna() & (label.astype(str) != ""), out["label"]).astype(str)

    # Ties among the chosen nodes, from the merged undirected edges of the projection.
    position = pd.Series(np.arange(len(graph_keys)), index=graph_keys.to_numpy())
    wanted = np.zeros(len(graph_keys), dtype=bool)
    wanted[position.reindex(out["key"]).dropna().astype(int).to_numpy()] = True
    s, t, w = graph.undirected().merged_edges()
    keep = wanted[s] & wanted[t] & (s != t)
    ends = np.sort(np.stack([graph.keys[s[keep]], graph.keys[t[keep]]]).astype(str), axis=0)
    edges = pd.DataFrame({"source": ends[0], "target": ends[1], "weight": w[keep]})
    edges = edges.groupby(["source", "target"], as_index=False, sort=True)["weight"].sum()
    return out.reset_index(drop=True), edges.reset_index(drop=True)
