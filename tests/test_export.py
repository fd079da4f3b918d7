"""GEXF 1.3 and GraphML exports: read back by networkx and graphology, types intact, viewers as chosen."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import graphkit
from graphkit import model
from graphkit.errors import ArgumentError
from graphkit.reports.export import DEFAULT_VIEWERS, EDGE_ATTRIBUTES, export_graph, node_attributes
from tests.conftest import TEST_KEY, VALID, graphkit_cli, write_dataset

ROOT = Path(__file__).resolve().parents[1]
JS_MODULES = ROOT / "js" / "node_modules"
#: A name with every character XML must escape, and Chinese.
AWKWARD = 'Dr. 李 & <Co> "量子" \'s lab'
#: VALID with an awkward name and a third viewer in viewer 1's segment (60_plus, rural), so
#: that a segment edge aggregates two viewers.
DATA = {
    **VALID,
    "creators.csv": VALID["creators.csv"].replace("Dr. 李", '"Dr. 李 & <Co> ""量子"" \'s lab"'),
    "viewers.csv": VALID["viewers.csv"] + "raw-viewer-3,60_plus,rural\n",
    "engages_with.csv": VALID["engages_with.csv"] + "raw-viewer-3,c1,1,,,,\n",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A saved store of DATA with the analysis written back (community, pagerank, ...)."""
    folder = tmp_path_factory.mktemp("export")
    dataset = write_dataset(folder / "data", DATA)
    with graphkit.EmbeddedStore.writing(folder / "store") as s:
        graphkit.load_dataset(s, graphkit.read_folder(s, dataset, pseudonymiser=graphkit.Pseudonymiser(TEST_KEY)))
        graphkit.analyze_store(s, seed=0, write=True)
        s.save()
    return graphkit.EmbeddedStore.open(folder / "store")


def read(path: Path) -> nx.Graph:
    return nx.read_gexf(path) if path.suffix == ".gexf" else nx.read_graphml(path)


def store_keys(store, labels=tuple(k.label for k in model.NODE_KINDS)) -> set[str]:
    return {model.node_key(label, i) for label in labels for i in store.nodes(label)[model.ID]}


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_networkx_reads_back_every_node_with_its_properties_in_their_types(store, tmp_path, fmt):
    graph = read(graphkit.export(store, tmp_path / f"g.{fmt}", viewers="all"))
    assert set(graph.nodes) == store_keys(store)
    c2 = graph.nodes["Creator:c2"]
    assert c2["label"] == c2["name"] == AWKWARD
    assert c2["kind"] == "Creator" and c2["id"] == "c2" and c2["followers"] == 1200
    assert c2["has_income"] is False and "primary_topic" not in c2  # no videos: no primary topic
    c1 = graph.nodes["Creator:c1"]
    assert c1["has_income"] is True and c1["primary_topic"] == "t1" and c1["primary_topic_name"] == "Physics"
    assert c1["income_streams"] == "advertising;revenue_sharing" and c1["views"] == 50000
    creators = store.nodes("Creator").set_index(model.ID)
    for node in ("c1", "c2"):
        data = graph.nodes[f"Creator:{node}"]
        assert type(data["community"]) is int and data["community"] == creators.loc[node, "community"]
        assert type(data["pagerank"]) is float and data["pagerank"] == creators.loc[node, "pagerank"]  # exact: repr
        assert type(data["core_number"]) is int
    assert graph.nodes["Institution:i1"]["category"] == "research_institute"
    assert graph.nodes["Topic:t0"]["level"] == 0 and graph.nodes["Topic:t0"]["label"] == "Science"
    viewer = next(d for n, d in graph.nodes(data=True) if d["kind"] == "Viewer")
    assert viewer["id"].startswith("vp_") and viewer["age_band"] in model.AGE_BANDS and "name" not in viewer


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_every_relationship_is_one_edge_with_its_type_and_tie_weight(store, tmp_path, fmt):
    graph = read(graphkit.export(store, tmp_path / f"g.{fmt}", viewers="all"))
    whole = store.analysis_graph("whole")
    keys = whole.keys
    expected = Counter((frozenset((keys[s], keys[t])), r, round(w, 12)) for s, t, r, w in
                       zip(whole.source, whole.target, whole.rel_types, whole.weight))
    got = Counter((frozenset((u, v)), d["type"], round(d["weight"], 12)) for u, v, d in graph.edges(data=True))
    assert got == expected
    assert sum(store.counts()[r.type] for r in model.REL_KINDS) == graph.number_of_edges()


def test_parallel_relationships_stay_apart_with_distinct_ids(store, tmp_path):
    viewer = model.node_key("Viewer", store.relationships("FOLLOWS")[model.SOURCE_ID].iloc[0])
    graph = nx.read_gexf(graphkit.export(store, tmp_path / "g.gexf", viewers="all"))
    between = graph.get_edge_data(viewer, "Creator:c1")  # follows c1 and watched 5 of its videos
    assert {d["type"]: d["weight"] for d in between.values()} == {"FOLLOWS": 1.0, "ENGAGES_WITH": math.log2(6)}
    assert len({d["id"] for d in between.values()}) == 2


def test_both_formats_use_the_same_node_and_edge_ids(store, tmp_path):
    gexf = nx.read_gexf(graphkit.export(store, tmp_path / "g.gexf", viewers="all"))
    graphml = nx.read_graphml(graphkit.export(store, tmp_path / "g.graphml", viewers="all"))
    assert set(gexf.nodes) == set(graphml.nodes)
    assert ({(d["id"], frozenset((u, v))) for u, v, d in gexf.edges(data=True)}
            == {(k, frozenset((u, v))) for u, v, k in graphml.edges(keys=True)})


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_viewers_become_segment_nodes_by_default(store, tmp_path, fmt):
    path = graphkit.export(store, tmp_path / f"g.{fmt}")
    assert "vp_" not in path.read_text(encoding="utf-8")  # no pseudonym in the file
    graph = read(path)
    assert not [n for n, kind in graph.nodes(data="kind") if kind == "Viewer"]
    rural = graph.nodes["ViewerSegment:60_plus/rural"]
    assert (rural["viewers"], rural["age_band"], rural["region_type"]) == (2, "60_plus", "rural")
    assert graph.nodes["ViewerSegment:under_18/urban"]["viewers"] == 1
    assert len([n for n in graph if n.startswith("ViewerSegment:")]) == 2  # only the segments present
    edges = {d["type"]: (d["viewers"], d["weight"]) for d in
             graph.get_edge_data("ViewerSegment:60_plus/rural", "Creator:c1").values()}
    # viewer 1 follows c1 and watched 5 videos; viewer 3 watched 1: log2(6) + log2(2)
    assert edges == {"FOLLOWS": (1, 1.0), "ENGAGES_WITH": (2, pytest.approx(math.log2(6) + 1.0))}
    assert graph.get_edge_data("ViewerSegment:60_plus/rural", "Topic:t1")[next(iter(
        graph.get_edge_data("ViewerSegment:60_plus/rural", "Topic:t1")))]["type"] == "INTERESTED_IN"
    non_viewer = sum(store.counts()[r.type] for r in model.REL_KINDS if model.VIEWER.label not in (r.source, r.target))
    assert graph.number_of_edges() == non_viewer + 4  # FOLLOWS, 2 ENGAGES_WITH, INTERESTED_IN segment edges


def test_viewers_omit_leaves_viewers_and_their_relationships_out(store, tmp_path):
    graph = nx.read_graphml(graphkit.export(store, tmp_path / "g.graphml", viewers="omit"))
    assert set(graph.nodes) == store_keys(store, ("Creator", "Institution", "Topic"))
    assert Counter(t for _, _, t in graph.edges(data="type")) == {
        r.type: store.counts()[r.type] for r in model.REL_KINDS if model.VIEWER.label not in (r.source, r.target)}


def test_a_small_chunk_size_writes_the_same_file_and_says_each_chunk(store, tmp_path):
    graph = store.analysis_graph("whole")
    nodes = {k.label: store.nodes(k.label) for k in model.NODE_KINDS}
    lines: list[str] = []
    small = export_graph(graph, tmp_path / "small.gexf", nodes=nodes, chunk_size=2, progress=lines.append)
    whole = export_graph(graph, tmp_path / "whole.gexf", nodes=nodes)
    assert small.read_bytes() == whole.read_bytes()
    assert lines[0].startswith(f"writing GEXF to {small}: 7 nodes,")
    assert [line for line in lines if "nodes:" in line][-1] == "  nodes: 7/7"  # 5 + 2 segments, 2 at a time
    assert len([line for line in lines if "edges:" in line]) >= 4


def test_a_results_frame_goes_in_with_its_types(tmp_path):
    g = graphkit.Graph(np.array(["a", "b", "c"], dtype=object), np.array(["Creator"] * 3, dtype=object),
                       np.array([0, 1]), np.array([1, 2]), np.array([1.0, 1.0]),
                       np.array(["COLLABORATES_WITH"] * 2, dtype=object))
    result = graphkit.pagerank(g)
    communities = graphkit.louvain(g, seed=0).frame
    measures = result.frame[[model.KIND, model.ID, "pagerank"]].merge(communities[[model.KIND, model.ID, "community"]])
    read_back = nx.read_graphml(export_graph(g, tmp_path / "g.graphml", measures=measures))
    for row in measures.itertuples():
        assert read_back.nodes[f"Creator:{row.id}"]["pagerank"] == row.pagerank
        assert read_back.nodes[f"Creator:{row.id}"]["community"] == row.community
    assert read_back.nodes["Creator:a"]["label"] == "Creator:a"  # no name: the key


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_characters_xml_cannot_hold_are_replaced_not_written(tmp_path, fmt):
    g = graphkit.Graph(np.array(["t1"], dtype=object), np.array(["Topic"], dtype=object), np.array([], dtype=np.int64),
                       np.array([], dtype=np.int64), np.array([]), np.array([], dtype=object))
    topics = pd.DataFrame({"id": ["t1"], "name": ["bell\x07 line\nbreak\ttab"]})
    graph = read(export_graph(g, tmp_path / f"g.{fmt}", nodes={"Topic": topics}))
    assert graph.nodes["Topic:t1"]["name"] == "bell\ufffd line\nbreak\ttab"


def test_bad_arguments_say_what_is_wrong(store, tmp_path):
    with pytest.raises(ArgumentError, match=r"^cannot export to g\.txt: use a \.gexf or \.graphml file name$"):
        graphkit.export(store, tmp_path / "g.txt")
    with pytest.raises(ArgumentError, match=r"^viewers must be one of segments, omit, all, got 'some'$"):
        graphkit.export(store, tmp_path / "g.gexf", viewers="some")
    with pytest.raises(ArgumentError, match="chunk_size must be a positive integer"):
        export_graph(store.analysis_graph("whole"), tmp_path / "g.gexf", chunk_size=0)
    assert not list(tmp_path.iterdir())


def test_the_cli_exports_with_the_chosen_viewers_and_shows_progress(store, tmp_path):
    proc = graphkit_cli("export", "--store", str(store.path), "--out", str(tmp_path / "g.gexf"), "--viewers", "omit",
                        check=True)
    assert proc.stdout.strip() == str(tmp_path / "g.gexf")
    assert "  edges: " in proc.stderr and "viewers: omit" in proc.stderr
    assert (tmp_path / "g.gexf").read_bytes() == graphkit.export(store, tmp_path / "py.gexf", viewers="omit").read_bytes()
    proc = graphkit_cli("export", "--store", str(store.path), "--out", str(tmp_path / "h.gexf"), "--viewers", "every")
    assert proc.returncode == 2 and "invalid choice: 'every'" in proc.stderr


def _node_or_skip() -> str:
    """The node binary with graphology-gexf installed; under CI their absence fails the test."""
    node = shutil.which("node")
    missing = ("node is not installed (Debian: apt-get install nodejs npm)" if node is None else
               None if (JS_MODULES / "graphology-gexf").is_dir() else "js/node_modules lacks graphology-gexf")
    if missing:
        message = f"{missing}; run scripts/setup-js"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(message)
        pytest.skip(message)
    assert node is not None
    return node


# Parses a GEXF file with graphology-gexf and prints its order, size and two nodes' attributes.
GRAPHOLOGY = """
const fs = require('fs');
const {MultiGraph} = require('graphology');
const gexf = require('graphology-gexf');
const graph = gexf.parse(MultiGraph, fs.readFileSync(process.argv[1], 'utf-8'));
const types = {};
graph.forEachEdge((e, a) => { types[a.type] = (types[a.type] || 0) + 1; });
console.log(JSON.stringify({order: graph.order, size: graph.size, c2: graph.getNodeAttributes('Creator:c2'),
                            segment: graph.getNodeAttributes('ViewerSegment:60_plus/rural'), types,
                            kinds: [...new Set(graph.mapEdges((e, a) => a.kind === a.type))]}));
"""


def test_graphology_parses_the_gexf_with_counts_and_attributes(store, tmp_path):
    node = _node_or_skip()
    path = graphkit.export(store, tmp_path / "g.gexf")
    proc = subprocess.run([node, "-e", GRAPHOLOGY, str(path)], env={**os.environ, "NODE_PATH": str(JS_MODULES)},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    parsed = json.loads(proc.stdout)
    graph = nx.read_gexf(path)
    assert (parsed["order"], parsed["size"]) == (graph.number_of_nodes(), graph.number_of_edges())
    c2, creators = parsed["c2"], store.nodes("Creator").set_index(model.ID)
    assert c2["label"] == c2["name"] == AWKWARD and c2["followers"] == 1200 and c2["has_income"] is False
    assert c2["community"] == creators.loc["c2", "community"] and c2["pagerank"] == creators.loc["c2", "pagerank"]
    assert parsed["segment"]["viewers"] == 2
    assert parsed["types"] == dict(Counter(t for _, _, t in graph.edges(data="type")))
    assert parsed["kinds"] == [True]  # GEXF 1.3's edge kind is the relationship type


def test_the_docs_list_every_attribute_with_its_types():
    doc = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    for attr in (*node_attributes, *EDGE_ATTRIBUTES):
        assert f"| `{attr.name}` | {attr.type} | {attr.graphml_type} |" in doc, attr.name
    assert f"`{DEFAULT_VIEWERS}` (**the default**)" in doc
