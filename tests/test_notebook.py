"""examples/walkthrough.ipynb: executed with nbclient in a temporary folder, as a user would run it.

The notebook is committed without outputs; here it runs on a fresh kernel of this venv
(ipykernel), offline, and its printed numbers are checked against the store it saved.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from graphkit import EmbeddedStore

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "walkthrough.ipynb"
TIMEOUT_S = 600  # per cell; the whole notebook takes 10-20 s here


def _text(cell: nbformat.NotebookNode) -> str:
    """A code cell's printed text and plain-text results, joined."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.data.get("text/plain", ""))
    return "".join(parts)


def _html(cell: nbformat.NotebookNode) -> str:
    return "".join(out.data.get("text/html", "") for out in cell.get("outputs", [])
                   if out.output_type in ("execute_result", "display_data"))


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook run once in an empty folder, with its own configuration folder (and so its own key)."""
    folder = tmp_path_factory.mktemp("walkthrough")
    with pytest.MonkeyPatch.context() as mp:
        # The kernel inherits the environment: never read or create the real user's key.
        mp.setenv("GRAPHKIT_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
        mp.delenv("GRAPHKIT_PSEUDONYM_KEY", raising=False)
        mp.delenv("GRAPHKIT_PSEUDONYM_KEY_FILE", raising=False)
        nb = nbformat.read(NOTEBOOK, as_version=4)
        NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute()
    return {cell.id: cell for cell in nb.cells}, folder


def test_committed_notebook_has_no_outputs_and_no_execution_counts():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, "the notebook has no code cells"
    assert [cell.id for cell in code if cell.outputs or cell.execution_count is not None] == []
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.slow
def test_every_cell_runs_without_an_error(executed):
    cells, folder = executed
    errors = [(cid, out.ename) for cid, cell in cells.items() for out in cell.get("outputs", [])
              if out.output_type == "error"]
    assert errors == []
    assert all(cell.execution_count for cell in cells.values() if cell.cell_type == "code")
    # What the notebook writes stays in its one folder under the working directory.
    assert [p.name for p in folder.iterdir()] == ["walkthrough-out"]


@pytest.mark.slow
def test_results_and_stores_show_as_short_html_tables(executed):
    cells, _ = executed
    louvain = _html(cells["louvain"])
    assert "<strong>Result of louvain" in louvain and '<table class="dataframe">' in louvain
    assert "first 5 of" in louvain  # a head, not a dump
    assert "Graph &#x27;whole&#x27;" in _html(cells["whole"])
    assert "EmbeddedStore" in _html(cells["load"])


@pytest.mark.slow
def test_no_viewer_pseudonym_is_shown(executed):
    cells, _ = executed
    shown = "".join(_text(cell) + _html(cell) for cell in cells.values())
    assert "vp_" not in shown


@pytest.mark.slow
def test_report_files_are_written_and_listed(executed):
    cells, folder = executed
    text = _text(cells["report"])
    for name in ("report.html", "report.json"):
        assert name in text
        assert (folder / "walkthrough-out" / "report" / name).stat().st_size > 0


@pytest.mark.slow
def test_reach_is_printed_with_its_denominator(executed):
    cells, _ = executed
    text = _text(cells["q1-reach"])
    assert "denominator: all 5,000 viewers" in text
    # A viewer is never one hop from an institution (institutions tie to creators).
    assert re.search(r"within 1 hop:\s+0 viewers =\s+0\.0%", text)
    shares = [float(s) for s in re.findall(r"viewers =\s+([\d.]+)%", text)]
    assert len(shares) == 4 and shares == sorted(shares) and 0 < shares[1] <= 100


@pytest.mark.slow
def test_earning_share_printed_matches_the_saved_store(executed):
    cells, folder = executed
    creators = EmbeddedStore.open(folder / "walkthrough-out" / "store").nodes("Creator")
    active = creators[creators["active"]]
    earning = int(active["has_income"].sum())
    expected = f"{earning:,} of {len(active):,} active creators earn income ({earning / len(active):.1%})"
    assert expected in _text(cells["q2-earning"])
    assert "nan" not in _text(cells["q2-earning"])  # a band without creators says so


@pytest.mark.slow
def test_gini_of_follows_printed_matches_an_independent_computation(executed):
    cells, folder = executed
    store = EmbeddedStore.open(folder / "walkthrough-out" / "store")
    creators = store.nodes("Creator")["id"]
    follows = store.relationships("FOLLOWS")["target_id"].value_counts()
    x = np.sort(follows.reindex(creators, fill_value=0).to_numpy(dtype=float))  # creators with no follows count
    n = len(x)
    gini = 2 * np.sum(np.arange(1, n + 1) * x) / (n * x.sum()) - (n + 1) / n
    assert f"Gini of follows over {n:,} creators: {gini:.3f}" in _text(cells["q3-concentration"])


@pytest.mark.slow
def test_question_cells_print_intervals_and_under_served_cells(executed):
    cells, _ = executed
    rho = _text(cells["q2-position"])
    assert re.search(r"Spearman's rho .* over \d+ active creators: [+-]\d\.\d{3}, 95% interval "
                     r"\[[+-]\d\.\d{3}, [+-]\d\.\d{3}\] \(200 resamples\)", rho)
    fair = _text(cells["q3-fair-access"])
    assert re.search(r"\d+ of \d+ field x segment cells are under-served", fair)
    assert "views/viewer" in fair
    assert "Least-served field: " in _text(cells["q1-interest"])
