"""The CLI through its real entry point: load, bad input, rejects, analyze, report, export, demo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from graphkit import EmbeddedStore, model
from tests.conftest import RAW_VIEWER_IDS, VALID, graphkit_cli, write_dataset


def _tree_bytes(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_load_prints_counts_and_saves_a_store(valid_dataset, tmp_path):
    proc = graphkit_cli("load", str(valid_dataset), "--store", str(tmp_path / "s"), check=True)
    assert "Creator\t2" in proc.stdout and "ENGAGES_WITH\t2" in proc.stdout
    assert (tmp_path / "s" / "manifest.json").exists()
    info = graphkit_cli("info", "--store", str(tmp_path / "s"), check=True)
    assert info.stdout == proc.stdout


BAD_FILES = [
    ("topics.csv", "id,name,level\nt0,Science,0\nt9,X,deep\n", "topics.csv, line 3, column level: expected an integer"),
    ("topics.csv", "id,name\nt0,Science\nt0,Again\n", "topics.csv, line 3, column id: duplicate Topic id"),
    ("follows.csv", "source_id,target_id\nraw-viewer-1,c9\n", "follows.csv, line 2, column target_id: no Creator"),
    ("publishes_on.csv", "source_id,target_id,views\nc1,t1,3\n", "publishes_on.csv, line 1, column videos: required"),
    ("creators.csv", "id,name\nc1,A,B\nc2,C\n", "creators.csv, line 2: expected 2 fields"),
    ("viewers.csv", "id,age_band,region_type\nraw-viewer-1,old,rural\nraw-viewer-2,18_24,moon\n",
     "viewers.csv, line 2, column age_band: expected one of"),
    ("creators.csv", b"id,name\nc1,\xff\xfe\n", "creators.csv, line 2, column name: not valid UTF-8 or GB18030"),
]


@pytest.mark.parametrize("name, content, message", BAD_FILES)
def test_bad_dataset_gives_one_message_and_leaves_the_store_as_it_was(valid_dataset, tmp_path, name, content, message):
    store = tmp_path / "s"
    graphkit_cli("load", str(valid_dataset), "--store", str(store), check=True)
    before = _tree_bytes(store)
    bad = write_dataset(tmp_path / "bad", {**VALID, name: content})
    proc = graphkit_cli("load", str(bad), "--store", str(store))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert message in proc.stderr
    assert _tree_bytes(store) == before


@pytest.mark.parametrize("args, message", [
    (["load", "DATA", "--batch-size", "-5"], "expected a positive integer"),
    (["load", "DATA", "--encoding", "klingon"], "unknown encoding 'klingon'"),
    (["load", "DATA", "--store", "FILE"], "is a file"),
    (["query", "institution_reach", "--param", "k"], "KEY=VALUE"),
])
def test_bad_options_fail_with_a_message(valid_dataset, tmp_path, args, message):
    (tmp_path / "afile").write_text("x")
    args = [str(valid_dataset) if a == "DATA" else str(tmp_path / "afile") if a == "FILE" else a for a in args]
    if "--store" not in args:
        args += ["--store", str(tmp_path / "s")]
    proc = graphkit_cli(*args)
    assert proc.returncode != 0 and message in proc.stderr and "Traceback" not in proc.stderr


def test_loading_the_same_folder_twice_changes_nothing(valid_dataset, tmp_path):
    store = tmp_path / "s"
    graphkit_cli("load", str(valid_dataset), "--store", str(store), check=True)
    before = _tree_bytes(store)
    graphkit_cli("load", str(valid_dataset), "--store", str(store), check=True)
    assert _tree_bytes(store) == before


def test_skip_loads_good_rows_and_writes_the_rejects_file(tmp_path):
    bad = write_dataset(tmp_path / "bad", {**VALID, "follows.csv": "source_id,target_id\nraw-viewer-1,c1\nraw-viewer-2,c7\n"})
    rejects = tmp_path / "rejects.csv"
    proc = graphkit_cli("load", str(bad), "--store", str(tmp_path / "s"), "--on-error", "skip", "--rejects",
                        str(rejects), check=True)
    assert "FOLLOWS\t1" in proc.stdout
    assert "1 rows rejected" in proc.stderr
    assert rejects.read_text().splitlines() == ["file,line,column,reason", "follows.csv,3,target_id,no Creator with this id (ids in files with viewers are never shown)"]


def test_unknown_store_and_bad_options_fail_without_traceback(tmp_path):
    proc = graphkit_cli("analyze", "--store", str(tmp_path / "nothing"))
    assert proc.returncode == 1 and "not a saved graphkit store" in proc.stderr and "Traceback" not in proc.stderr
    proc = graphkit_cli("load", str(tmp_path / "missing"), "--store", str(tmp_path / "s"))
    assert proc.returncode == 1 and "not a folder" in proc.stderr
    proc = graphkit_cli("query", "top_creators_in_topic", "--param", "topic=t1", "--store", str(tmp_path / "s"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


def test_analyze_report_and_export_over_a_saved_store(valid_dataset, tmp_path):
    store = str(tmp_path / "s")
    graphkit_cli("load", str(valid_dataset), "--store", store, check=True)
    proc = graphkit_cli("analyze", "--store", store, "--out", str(tmp_path / "a"), "--write", check=True)
    assert "louvain.modularity" in proc.stdout
    assert (tmp_path / "a" / "nodes.csv").exists()
    proc = graphkit_cli("report", "--store", store, "--out", str(tmp_path / "r"), check=True)
    assert (tmp_path / "r" / "report.html").exists()
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    # The report's content is pinned in tests/test_report.py; here: the command wrote it from this store.
    assert sum(report["answers"]["counts"][k.label] for k in model.NODE_KINDS) == 7
    communities = pd.read_csv(tmp_path / "r" / "tables" / "communities.csv")
    assert communities["size"].sum() == 7
    proc = graphkit_cli("export", "--store", store, "--out", str(tmp_path / "g.gexf"), check=True)
    gexf = (tmp_path / "g.gexf").read_text()
    assert "pagerank" in gexf and "Creator:c1" in gexf


def test_no_output_shows_a_raw_viewer_id_or_the_key(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("a-secret-pseudonym-key-for-this-test")
    key_file.chmod(0o600)
    bad = write_dataset(tmp_path / "d", {**VALID, "follows.csv": "source_id,target_id\nraw-viewer-1,c1\nraw-viewer-2,c1\nraw-viewer-9,c2\n"})
    out = tmp_path / "out"
    runs = [
        graphkit_cli("load", str(bad), "--store", str(out / "s"), "--pseudonym-key-file", str(key_file)),
        graphkit_cli("load", str(bad), "--store", str(out / "s"), "--on-error", "skip", "--rejects",
                     str(out / "rejects.csv"), "--pseudonym-key-file", str(key_file), check=True),
        graphkit_cli("analyze", "--store", str(out / "s"), "--out", str(out / "a"), "--write", check=True),
        graphkit_cli("report", "--store", str(out / "s"), "--out", str(out / "r"), check=True),
        graphkit_cli("export", "--store", str(out / "s"), "--out", str(out / "g.graphml"), check=True),
    ]
    assert runs[0].returncode == 1
    texts = [r.stdout + r.stderr for r in runs] + [b.decode("utf-8", "replace") for b in _tree_bytes(out).values()]
    store = EmbeddedStore.open(out / "s")  # the values themselves, not only the (compressed) bytes
    frames = [store.nodes(k.label) for k in model.NODE_KINDS] + [store.relationships(r.type) for r in model.REL_KINDS]
    texts += [f.to_csv() for f in frames]
    for text in texts:
        for secret in (*RAW_VIEWER_IDS, "raw-viewer-9", "a-secret-pseudonym-key-for-this-test"):
            assert secret not in text
    assert len(store.nodes("Viewer")) == 2


def test_demo_runs_in_an_empty_folder(tmp_path):
    proc = graphkit_cli("demo", cwd=tmp_path, check=True)
    paths = proc.stdout.split()
    assert [p.rsplit("/", 1)[-1] for p in paths] == ["report.html", "report.md", "report.json", "tables"]
    out = tmp_path / "graphkit-demo"
    html = (out / "report.html").read_text()
    assert html.count("<svg") >= 5 and "Lorenz curve of attention" in html and "Synthetic data." in html
    assert not re.search(r"""(src|href)=["']https?:""", html)  # self-contained (report tests: tests/test_report.py)
    report = json.loads((out / "report.json").read_text())
    assert sum(report["answers"]["counts"][r.type] for r in model.REL_KINDS) >= 100_000
    raw_viewers = set(pd.read_csv(out / "dataset" / "viewers.csv")["id"])
    for path in (out / "report.html", out / "report.json", out / "report.md", *(out / "tables").iterdir()):
        text = path.read_text()
        assert not any(v in text for v in list(raw_viewers)[:2000])
        assert "vp_" not in text  # reports show viewers only as aggregates


def _made(report: Path) -> str:
    """When a report was made (it differs between two runs)."""
    return json.loads((report / "report.json").read_text())["created"]


def test_the_workflows_do_from_python_what_the_commands_do(valid_dataset, tmp_path):
    import graphkit

    key = tmp_path / "key"
    key.write_text("a-pseudonym-key-for-the-workflow-test")
    key.chmod(0o600)
    cli_store, py_store = tmp_path / "cli-store", tmp_path / "py-store"
    graphkit_cli("load", str(valid_dataset), "--store", str(cli_store), "--pseudonym-key-file", str(key), check=True)
    graphkit_cli("report", "--store", str(cli_store), "--out", str(tmp_path / "cli"), check=True)
    graphkit_cli("export", "--store", str(cli_store), "--out", str(tmp_path / "cli.graphml"), check=True)

    steps: list[str] = []
    with EmbeddedStore.writing(py_store) as store:
        data = graphkit.read_folder(store, valid_dataset, pseudonymiser=graphkit.Pseudonymiser.from_file(key),
                                    progress=steps.append)
        summary = graphkit.load_dataset(store, data, progress=steps.append)
    assert summary.describe() == "17 created, 0 updated, 0 unchanged (of 17 rows)"
    assert steps[0] == f"reading and validating {valid_dataset}" and steps[-1] == f"saved the store to {py_store}"
    store = EmbeddedStore.open(py_store)
    paths = graphkit.report(store, tmp_path / "py", seed=0)
    assert list(paths)[:3] == ["html", "md", "json"]
    for name in ["report.md", *(f"tables/{p.name}" for p in (tmp_path / "cli" / "tables").iterdir())]:
        # All but the date and the store's folder, which differ between the two runs.
        made = (tmp_path / "py" / name).read_text().replace(_made(tmp_path / "py"), "").replace(str(py_store), "S")
        assert made == (tmp_path / "cli" / name).read_text().replace(_made(tmp_path / "cli"), "").replace(
            str(cli_store), "S"), name
    assert graphkit.export(store, tmp_path / "py.graphml").read_bytes() == (tmp_path / "cli.graphml").read_bytes()
    with EmbeddedStore.writing(py_store) as store:
        assert graphkit.load_dataset(store, data).unchanged  # nothing to save: the files stay as they were
