"""report.html and the network view, opened in Debian's headless Chromium (tests/browser.py).

The report comes from ``graphkit.report`` on a generated dataset (300 creators).  The
network view is checked wherever the page holds one: in report.html once the report embeds
it, and always on a page built with :func:`graphkit.reports.network.network_view` from the
same store's whole projection and analysis.  Screenshots go to ``out/browser/`` at the
repository root, for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from PIL import Image

import graphkit
import loaders
from graphkit import EmbeddedStore
from graphkit.analysis.pipeline import analyze
from graphkit.errors import ArgumentError, GraphkitError
from graphkit.privacy import Pseudonymiser
from graphkit.reports import network
from graphkit.reports.network import PALETTE, network_nodes, network_view
from graphkit.workflows import load_dataset, read_folder
from tests.browser import browser, open_page

SHOTS = Path(__file__).resolve().parents[1] / "out" / "browser"
BACKGROUND = (255, 255, 255)


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    loaders.generate(300, 7, folder / "dataset")
    store = EmbeddedStore(folder / "store")
    load_dataset(store, read_folder(store, folder / "dataset", pseudonymiser=Pseudonymiser(b"browser-test-key")))
    return store, folder


@pytest.fixture(scope="module")
def report_html(generated_store) -> Path:
    store, folder = generated_store
    return graphkit.report(store, folder / "report")["html"]


@pytest.fixture(scope="module")
def shown(generated_store):
    """The network view's nodes and edges for the store's whole projection, as the report would choose them."""
    store, _ = generated_store
    graph = store.analysis_graph("whole")
    measures = analyze(graph, seed=0).nodes()
    return graph, measures, network_nodes(graph, measures)


@pytest.fixture(scope="module")
def network_page(shown, generated_store) -> Path:
    _, _, (nodes, edges) = shown
    _, folder = generated_store
    page = folder / "network.html"
    body = network_view(nodes, edges, title="Who is central: the 100 most central creators and institutions")
    page.write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>network</title></head>'
                    f"<body>{body}</body></html>", encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


def _views(visit) -> list[dict]:
    """Each network view on the page: its id, the nodes and edges its JSON gave, and graphology's counts."""
    return visit.evaluate("""() => Array.from(document.querySelectorAll('.gk-network')).map(el => {
        const data = JSON.parse(document.getElementById(el.dataset.gkData).textContent);
        const view = window.GraphkitNetwork && window.GraphkitNetwork.views[el.id];
        return {id: el.id, given_nodes: data.nodes.length, given_edges: data.edges.length,
                order: view ? view.graph.order : null, size: view ? view.graph.size : null,
                drawn: !!(view && view.renderer)};
    })""")


def _canvas_pixels(path: Path) -> tuple[float, int]:
    """The share of pixels that are not background, and how many palette colours appear (within 6 per channel)."""
    image = np.asarray(Image.open(path).convert("RGB")).astype(int)
    drawn = (np.abs(image - BACKGROUND).max(axis=2) > 30).mean()
    colours = [tuple(int(h[i:i + 2], 16) for i in (1, 3, 5)) for h in PALETTE]
    present = sum(int((np.abs(image - c).max(axis=2) <= 6).sum() >= 20) for c in colours)
    return float(drawn), present


def _check_views(visit, name: str) -> list[dict]:
    views = _views(visit)
    for i, view in enumerate(views):
        assert view["drawn"], f"view {view['id']} has no renderer (no WebGL?)"
        assert view["order"] == view["given_nodes"] and view["size"] == view["given_edges"]
        shot = visit.screenshot(SHOTS / f"{name}-network-{i}.png", f"#{view['id']} .gk-network-canvas")
        drawn, colours = _canvas_pixels(shot)
        # Not blank, not one flood of colour (a renderer failing can fill the canvas), several communities.
        assert 0.002 < drawn < 0.5, f"{shot}: {drawn:.1%} of the canvas drawn"
        assert colours >= 3, f"{shot}: only {colours} community colours visible"
    return views


def test_report_opens_without_errors_or_requests(chromium, report_html):
    with open_page(chromium, report_html) as visit:
        visit.screenshot(SHOTS / "report.png")
        assert visit.console_errors == [] and visit.page_errors == []
        assert visit.external_requests() == []


def test_every_report_figure_is_present_and_drawn(chromium, report_html):
    with open_page(chromium, report_html) as visit:
        # A figure holding a network view is checked by the network tests (its canvas, not an <svg>).
        figures = visit.evaluate("""() => Array.from(document.querySelectorAll('figure'))
            .filter(f => !f.querySelector('.gk-network')).map(f => {
            const svg = f.querySelector('svg'), img = f.querySelector('img');
            if (svg) { const box = svg.getBoundingClientRect();
                return {kind: 'svg', width: box.width, height: box.height,
                        marks: svg.querySelectorAll('path,rect,circle,line,polyline,polygon,text').length}; }
            if (img) return {kind: 'img', width: img.naturalWidth, height: img.naturalHeight, marks: img.complete ? 1 : 0};
            return {kind: 'none', width: 0, height: 0, marks: 0};
        })""")
    assert figures, "report.html has no figure"
    for figure in figures:
        assert figure["kind"] != "none" and figure["width"] > 0 and figure["height"] > 0 and figure["marks"] > 0, figure


def test_network_views_in_the_report_draw_every_node_given(chromium, report_html):
    # The report embeds network views once graphkit.report adds them; until then there are none to check here.
    with open_page(chromium, report_html) as visit:
        _check_views(visit, "report")


def test_network_view_draws_every_node_given_offline(chromium, network_page, shown):
    _, _, (nodes, edges) = shown
    with open_page(chromium, network_page) as visit:
        visit.screenshot(SHOTS / "network.png")
        views = _check_views(visit, "page")
        assert visit.console_errors == [] and visit.page_errors == []
        assert visit.external_requests() == []
    assert [(v["order"], v["size"]) for v in views] == [(len(nodes), len(edges))]


def test_network_search_highlights_and_centres_the_named_node(chromium, network_page, shown):
    _, _, (nodes, _) = shown
    target = nodes.sort_values("size").iloc[len(nodes) // 2]  # a middling node, off the centre of the view
    with open_page(chromium, network_page) as visit:
        visit.page.fill(".gk-network-search", str(target["label"]).upper())  # the match ignores case
        visit.page.wait_for_timeout(700)  # the camera animates for 400 ms
        state = visit.evaluate("""(key) => { const v = Object.values(window.GraphkitNetwork.views)[0];
            const shown = v.renderer.getNodeDisplayData(key), cam = v.renderer.getCamera().getState();
            return {highlighted: shown.highlighted, dx: Math.abs(cam.x - shown.x), dy: Math.abs(cam.y - shown.y),
                    ratio: cam.ratio, status: document.querySelector('.gk-network-status').textContent}; }""",
                               target["key"])
    assert state["highlighted"] and state["ratio"] < 1
    assert state["dx"] < 1e-6 and state["dy"] < 1e-6
    assert state["status"].startswith(str(target["label"]))


def test_names_cannot_break_out_of_the_data_script(chromium, tmp_path):
    hostile = "</script><script>window.pwned = 1</script><!--"
    nodes = pd.DataFrame({"key": ["a", "b", "c"], "label": [hostile, "李华 & <b>", "C"], "kind": ["Creator"] * 3,
                          "community": [0, 1, 2], "size": [1.0, 0.5, 0.25]})
    page = tmp_path / "hostile.html"
    page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
                    f"{network_view(nodes, pd.DataFrame({'source': ['a'], 'target': ['b']}))}</body></html>",
                    encoding="utf-8")
    with open_page(chromium, page) as visit:
        labels = visit.evaluate("""() => { const v = Object.values(window.GraphkitNetwork.views)[0];
            return [window.pwned === undefined, v.graph.order, v.graph.getNodeAttribute('a', 'label'),
                    v.graph.getNodeAttribute('b', 'label')]; }""")
        assert visit.page_errors == []
    assert labels == [True, 3, hostile, "李华 & <b>"]


# What needs no browser: the choice of nodes against networkx, and the refusals.

def test_network_nodes_are_the_top_of_each_kind_with_the_ties_among_them(shown):
    graph, measures, (nodes, edges) = shown
    for kind in ("Creator", "Institution"):
        expected = (measures[measures["kind"] == kind].sort_values(["pagerank", "id"], ascending=[False, True])
                    .head(100)["id"].tolist())
        assert nodes.loc[nodes["kind"] == kind, "id"].tolist() == expected
    whole = graph.to_networkx().to_undirected()
    induced = {tuple(sorted(e)) for e in whole.subgraph(nodes["key"]).edges() if e[0] != e[1]}
    assert set(zip(edges["source"], edges["target"])) == induced
    names = dict(whole.nodes(data="name"))
    assert nodes["label"].tolist() == [names[k] for k in nodes["key"]]


def test_layout_is_the_same_for_the_same_data(shown):
    _, _, (nodes, edges) = shown
    assert network_view(nodes, edges, include_bundle=False) == network_view(nodes, edges, include_bundle=False)


def test_network_view_refuses_unknown_edge_ends_and_too_many_nodes():
    nodes = pd.DataFrame({"key": ["a"], "label": ["A"], "kind": ["Creator"], "community": [0], "size": [1.0]})
    with pytest.raises(ArgumentError, match="unknown edge end 'z'"):
        network_view(nodes, pd.DataFrame({"source": ["a"], "target": ["z"]}), include_bundle=False)
    many = pd.DataFrame({"key": [str(i) for i in range(network.MAX_NODES + 1)], "label": "x", "kind": "Creator",
                         "community": 0, "size": 1.0})
    with pytest.raises(ArgumentError, match="at most"):
        network_view(many, pd.DataFrame({"source": [], "target": []}), include_bundle=False)
    with pytest.raises(ArgumentError, match="top must be an integer >= 1"):
        network_nodes(graphkit.Graph.from_networkx(nx.path_graph(2)), pd.DataFrame(), top=0)


def test_a_missing_bundle_says_how_to_build_it(monkeypatch, tmp_path):
    monkeypatch.setenv(network.BUNDLE_ENV, str(tmp_path / "none.js"))
    nodes = pd.DataFrame({"key": ["a"], "label": ["A"], "kind": ["Creator"], "community": [0], "size": [1.0]})
    with pytest.raises(GraphkitError, match="scripts/setup-js"):
        network_view(nodes, pd.DataFrame({"source": [], "target": []}))
