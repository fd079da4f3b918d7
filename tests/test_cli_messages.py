"""What the command line says: version, exit codes, query help, load outcomes, and CSV that cannot run."""

from __future__ import annotations

import ast
import csv
import io

import pandas as pd
import pytest

import graphkit
from graphkit.cypher import load_query, query_names
from graphkit.reports import write_csv
from graphkit.reports.tables import FORMULA_STARTS
from tests.conftest import VALID, graphkit_cli, write_dataset
from tests.test_docs_examples import ROOT


def test_version_is_printed():
    proc = graphkit_cli("--version", check=True)
    assert proc.stdout.strip() == f"graphkit {graphkit.__version__}"


def test_usage_errors_exit_2_and_reported_errors_exit_1(tmp_path):
    usage = graphkit_cli("load", str(tmp_path), "--no-such-option")
    assert usage.returncode == 2 and "usage:" in usage.stderr
    assert graphkit_cli("frobnicate").returncode == 2
    reported = graphkit_cli("info", "--store", str(tmp_path / "nothing"))
    assert reported.returncode == 1 and reported.stderr.startswith("graphkit: error: ")
    assert len(reported.stderr.strip().splitlines()) == 1
    doc = (ROOT / "docs" / "cli.md").read_text()
    assert "1 when graphkit reports an error" in doc and "2 for a usage error" in doc


def test_query_help_lists_every_named_query_and_its_parameters():
    text = graphkit_cli("query", "--help", check=True).stdout
    for name in query_names(public=True):
        line = next(line for line in text.splitlines() if line.strip().startswith(f"{name}:"))
        for param in load_query(name).params:
            assert param in line
    assert "k (integer 1..6)" in text


@pytest.mark.parametrize("args, message", [
    (["no_such_query"], "no Cypher query named 'no_such_query'; known: bridging_creators"),
    (["institution_reach", "--param", "institution=i1", "--param", "k=9"], "must be between 1 and 6, got 9"),
    (["institution_reach", "--param", "k=2"], "missing: institution"),
    (["merge_topics", "--param", "batch=x"], "not a named query"),
])
def test_query_names_and_parameters_are_checked_before_connecting(args, message):
    # Port 1 on loopback has no server: a check that ran after connecting would say "cannot reach".
    proc = graphkit_cli("query", *args, "--neo4j", "bolt://127.0.0.1:1", env={"NEO4J_PASSWORD": "unused"})
    assert proc.returncode == 1 and message in proc.stderr and "cannot reach" not in proc.stderr


def test_skip_mode_with_nothing_rejected_says_so_and_leaves_no_stale_rejects(valid_dataset, tmp_path):
    rejects = tmp_path / "rejects.csv"
    rejects.write_text("file,line,column,reason\nold.csv,2,x,from an earlier run\n")
    proc = graphkit_cli("load", str(valid_dataset), "--store", str(tmp_path / "s"), "--on-error", "skip",
                        "--rejects", str(rejects), check=True)
    assert "no rows rejected" in proc.stderr
    assert rejects.read_text().splitlines() == ["file,line,column,reason"]


def test_a_reload_says_it_changed_nothing_and_a_change_says_what(valid_dataset, tmp_path):
    store = str(tmp_path / "s")
    first = graphkit_cli("load", str(valid_dataset), "--store", store, check=True)
    assert "17 created, 0 updated, 0 unchanged (of 17 rows)" in first.stderr
    again = graphkit_cli("load", str(valid_dataset), "--store", store, check=True)
    assert "nothing changed: all 17 rows were already in the store, unchanged" in again.stderr
    changed = write_dataset(tmp_path / "changed", {**VALID, "topics.csv": "id,name,level\nt0,Science,0\nt1,Physics!,1\n"})
    third = graphkit_cli("load", str(changed), "--store", store, check=True)
    assert "0 created, 1 updated, 16 unchanged (of 17 rows)" in third.stderr


def test_csv_outputs_cannot_run_as_spreadsheet_formulas(tmp_path):
    hostile = {
        **VALID,
        "creators.csv": "id,name,followers\n@c1,=HYPERLINK(\"http://x\"),1\n+c2,-2+3,2\n",
        "affiliated_with.csv": "source_id,target_id,role\n@c1,i1,lead\n",
        "publishes_on.csv": "source_id,target_id,videos,views\n@c1,t1,1,10\n",
        "follows.csv": "source_id,target_id\nraw-viewer-1,@c1\n",
        "engages_with.csv": "source_id,target_id,views\nraw-viewer-1,+c2,1\n",
        "collaborates_with.csv": "source_id,target_id,videos\n@c1,+c2,1\n",
        "partners_with.csv": "source_id,target_id,campaign\ni1,@c1,science_support_plan\n",
    }
    data = write_dataset(tmp_path / "d", hostile)
    store = str(tmp_path / "s")
    graphkit_cli("load", str(data), "--store", store, check=True)
    graphkit_cli("analyze", "--store", store, "--out", str(tmp_path / "a"), check=True)
    graphkit_cli("report", "--store", store, "--out", str(tmp_path / "r"), check=True)
    for path in (tmp_path / "a" / "nodes.csv", tmp_path / "r" / "tables" / "central_creators.csv"):
        cells = [cell for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")) for cell in row]
        assert "'@c1" in cells and "'+c2" in cells, path
    for path in [tmp_path / "a" / "nodes.csv", *(tmp_path / "r" / "tables").glob("*.csv")]:
        cells = [cell for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")) for cell in row]
        assert not any(cell.startswith(FORMULA_STARTS) for cell in cells if not _number(cell)), path
    # Two creators are too few for some measures: the report says so instead of printing nan or a verdict.
    text = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "nan" not in text and "cannot be computed" in text


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_write_csv_escapes_text_cells_only():
    frame = pd.DataFrame({"id": ["=1+1", "\t=x", "\r@y", "ok", None], "n": [-1.5, 2.0, 3.0, 4.0, 5.0]})
    text = write_csv(frame)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'\t=x", "'\r@y", "ok", ""]
    assert rows[1][1] == "-1.5"  # numbers stay numbers


@pytest.mark.parametrize("args, status, message", [
    (["generate", "--scale", "0", "--out", "OUT"], 2, "--scale: expected a positive integer, got '0'"),
    (["demo", "--scale", "-3", "--out", "OUT"], 2, "--scale: expected a positive integer, got '-3'"),
    (["export", "--store", "STORE", "--out", "OUT/graph.txt"], 1,
     "graphkit: error: cannot export to graph.txt: use a .gexf or .graphml file name"),
])
def test_bad_values_the_cli_once_caught_as_value_errors_still_give_one_line(valid_dataset, tmp_path, args,
                                                                           status, message):
    store = str(tmp_path / "s")
    graphkit_cli("load", str(valid_dataset), "--store", store, check=True)
    args = [a.replace("OUT", str(tmp_path / "out")).replace("STORE", store) for a in args]
    proc = graphkit_cli(*args)
    assert proc.returncode == status and message in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_the_cli_catches_graphkit_and_operating_system_errors_only():
    """A bare ValueError is a bug and shows its traceback; expected ones are GraphkitErrors at their source."""
    tree = ast.parse((ROOT / "graphkit" / "cli.py").read_text(encoding="utf-8"))
    main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    caught = {ast.unparse(h.type) for n in ast.walk(main) if isinstance(n, ast.Try) for h in n.handlers}
    assert caught == {"(GraphkitError, OSError)", "KeyboardInterrupt"}
