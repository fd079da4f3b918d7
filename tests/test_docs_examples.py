"""Every code example in README.md and docs/ runs, in the order a user would run them, in one folder.

Shell blocks run line by line as one bash script (``scripts/...`` from the repository);
Python blocks run in one namespace shared across the documents, so a later example may use
what an earlier one made.  ``text`` blocks are output or diagrams and are not run.  The
Neo4j examples run against the test server, its URI put in for the documented one.  Only
the README's ``scripts/test`` line is left out: it is the command that runs this test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Reading order: the README first, then the docs as the README lists them.
DOCUMENTS = ["README.md", "docs/data-model.md", "docs/architecture.md", "docs/cli.md", "docs/generator.md",
             "docs/analysis.md", "docs/report.md", "docs/export.md", "docs/neo4j-store.md", "docs/gds.md",
             "docs/neo4j-server.md"]
LANGUAGES = {"bash": "shell", "sh": "shell", "python": "python", "text": None}
DOCUMENTED_URI = "bolt://127.0.0.1:7687"
EXEMPT = ("scripts/test",)
_FENCE = re.compile(r"^```(\S*)\n(.*?)^```", re.S | re.M)


def blocks(document: str) -> list[tuple[str, str]]:
    """The fenced blocks of a document: (info string, text)."""
    return _FENCE.findall((ROOT / document).read_text(encoding="utf-8"))


def test_every_document_with_examples_is_in_the_reading_order():
    with_code = {str(p.relative_to(ROOT)) for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
                 if blocks(str(p.relative_to(ROOT)))}
    assert with_code <= set(DOCUMENTS)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_block_says_its_language(document):
    for info, _ in blocks(document):
        assert info in LANGUAGES, f"{document}: a ``` block needs one of {sorted(LANGUAGES)}, got {info!r}"


def _shell(text: str, cwd: Path, env: dict[str, str]) -> None:
    lines = []
    for line in text.splitlines():
        if line.strip().startswith(EXEMPT):
            continue
        lines.append(re.sub(r"(?<![\w/.])scripts/", f"{ROOT}/scripts/", line))
    script = "set -euo pipefail\n" + "\n".join(lines)
    proc = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"{script}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


@pytest.mark.slow
@pytest.mark.neo4j
def test_the_examples_run_in_order(tmp_path, neo4j_uri, monkeypatch):
    from graphkit.stores.neo4j import Neo4jStore

    with Neo4jStore(neo4j_uri) as store:  # the examples load with their own key: start from an empty database
        store.clear()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "NEO4J_URI": neo4j_uri}
    # scripts/neo4j in docs/neo4j-server.md starts and stops a server of its own, never the test server.
    server_env = {**env, "GRAPHKIT_NEO4J_RUN": str(tmp_path / "neo4j-run"), "GRAPHKIT_NEO4J_DATA": str(tmp_path / "neo4j-data")}
    server_env.pop("NEO4J_PASSWORD", None)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    ran = 0
    try:
        ran = _run_all(work, env, server_env, neo4j_uri, namespace, monkeypatch)
    finally:  # never leave the example's own server running
        subprocess.run([str(ROOT / "scripts" / "neo4j"), "stop"], env=server_env, capture_output=True, timeout=120)
    assert ran >= 8
    assert (work / "my-store" / "manifest.json").exists() and (work / "graphkit-demo" / "report.html").exists()


def _run_all(work, env, server_env, neo4j_uri, namespace, monkeypatch) -> int:
    ran = 0
    for document in DOCUMENTS:
        for info, text in blocks(document):
            text = text.replace(DOCUMENTED_URI, neo4j_uri)
            kind = LANGUAGES[info]
            if kind == "shell":
                _shell(text, work, server_env if "scripts/neo4j" in text else env)
            elif kind == "python":
                if "GRAPHKIT_NEO4J_RUN" in text:
                    monkeypatch.setenv("GRAPHKIT_NEO4J_RUN", server_env["GRAPHKIT_NEO4J_RUN"])
                exec(compile(text, f"{document} example", "exec"), namespace)  # noqa: S102 - our own docs
            ran += kind is not None
    return ran
