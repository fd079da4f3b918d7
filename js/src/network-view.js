/*
 * graphkit's interactive network view: sigma.js 3 draws a graphology graph whose nodes, positions,
 * sizes and colours graphkit computed in Python (graphkit/reports/network.py).  Built into one
 * IIFE bundle (js/dist/network-view.js, `npm run build`) that the report inlines, so the page
 * loads nothing from the network.
 *
 * Page API, on window.GraphkitNetwork:
 *   mount(container)  draw the view in a <div class="gk-network"> whose data-gk-data names the
 *                     <script type="application/json"> element holding {nodes, edges, communities}
 *   views[id]         {graph, renderer, select(query)} for the view mounted in the element of that id;
 *                     graph is the graphology Graph (views[id].graph.order is its node count)
 * Every .gk-network element on the page is mounted when the document has loaded.
 */
import Graph from "graphology";
import Sigma from "sigma";

const views = {};

function webglAvailable() {
  try {
    return !!document.createElement("canvas").getContext("webgl");
  } catch (e) {
    return false;
  }
}

function buildGraph(data) {
  const graph = new Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  for (const n of data.nodes) {
    graph.addNode(n.key, {
      label: n.label, x: n.x, y: n.y, size: n.size, color: n.color,
      kind: n.kind, community: n.community,
    });
  }
  for (const e of data.edges) {
    if (e.source !== e.target && !graph.hasEdge(e.source, e.target)) {
      graph.addEdge(e.source, e.target, { size: e.size, color: "#c8c8c8" });
    }
  }
  return graph;
}

// The node a search names: an exact (case-insensitive) label first, then the largest node
// whose label contains the query.
function findNode(graph, query) {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  let best = null;
  let bestSize = -1;
  for (const key of graph.nodes()) {
    const label = String(graph.getNodeAttribute(key, "label") || "").toLowerCase();
    if (label === q) return key;
    const size = graph.getNodeAttribute(key, "size");
    if (label.includes(q) && size > bestSize) {
      best = key;
      bestSize = size;
    }
  }
  return best;
}

function mount(container) {
  const dataElement = document.getElementById(container.dataset.gkData);
  const data = JSON.parse(dataElement.textContent);
  const graph = buildGraph(data);
  const view = { graph, renderer: null, select: () => null };
  views[container.id] = view;
  const canvas = container.querySelector(".gk-network-canvas");
  const status = container.querySelector(".gk-network-status");
  if (!webglAvailable()) {
    // sigma draws with WebGL; say so instead of failing with a console error.
    status.textContent = "This browser has no WebGL, which the network view needs.";
    return view;
  }
  let selected = null;
  let neighbours = new Set();
  const renderer = new Sigma(graph, canvas, {
    labelRenderedSizeThreshold: 7,
    zIndex: true,
    nodeReducer: (key, display) => {
      if (selected === null) return display;
      if (key === selected) return { ...display, highlighted: true, forceLabel: true, zIndex: 2 };
      if (neighbours.has(key)) return { ...display, zIndex: 1 };
      return { ...display, color: "#e4e4e4", label: "", zIndex: 0 };
    },
    edgeReducer: (key, display) => {
      if (selected === null) return display;
      const [s, t] = graph.extremities(key);
      if (s === selected || t === selected) return { ...display, color: "#777" };
      return { ...display, hidden: true };
    },
  });
  view.renderer = renderer;
  view.select = (query) => {
    const key = query ? findNode(graph, query) : null;
    selected = key;
    neighbours = key === null ? new Set() : new Set(graph.neighbors(key));
    renderer.refresh({ skipIndexation: true });
    if (key !== null) {
      const shown = renderer.getNodeDisplayData(key);
      renderer.getCamera().animate({ x: shown.x, y: shown.y, ratio: 0.35 }, { duration: 400 });
      status.textContent = graph.getNodeAttribute(key, "label") + " (" + graph.getNodeAttribute(key, "kind")
        + ", community " + graph.getNodeAttribute(key, "community") + "): " + graph.degree(key) + " ties shown";
    } else {
      renderer.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1 }, { duration: 400 });
      status.textContent = query && query.trim() ? "No name matches \u201c" + query.trim() + "\u201d." : "";
    }
    return key;
  };
  const input = container.querySelector(".gk-network-search");
  if (input) input.addEventListener("input", () => view.select(input.value));
  renderer.on("clickNode", ({ node }) => {
    if (input) input.value = graph.getNodeAttribute(node, "label");
    view.select(graph.getNodeAttribute(node, "label"));
  });
  renderer.on("clickStage", () => {
    if (input) input.value = "";
    view.select("");
  });
  return view;
}

function mountAll() {
  for (const el of document.querySelectorAll(".gk-network")) {
    if (!views[el.id]) mount(el);
  }
}

window.GraphkitNetwork = { mount, mountAll, views };
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", mountAll);
} else {
  mountAll();
}
