"""The package's shape: public API, layer boundaries, docs that match the code, the wheel."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import graphkit
import loaders
from graphkit import model
from graphkit.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def test_public_api_is_pinned():
    assert sorted(graphkit.__all__) == sorted([
        "Analysis", "AnalysisError", "ArgumentError", "ConfigError", "EmbeddedStore", "Graph", "GraphkitError", "LoadSummary",
        "LoaderError", "Neo4jStore", "Problem", "Provenance", "Pseudonymiser", "QueryError", "Result", "Store", "StoreError",
        "analyze", "components", "degree", "louvain", "model", "pagerank",
        "adjusted_rand", "articulation_points", "betweenness", "bipartite_projection", "bridges", "broker_score",
        "closeness", "clustering", "community_profiles", "core_number", "eigenvector", "harmonic", "hits",
        "label_propagation", "modularity", "nmi", "reach", "stability", "top_k",
        "analyze_store", "bulk_load", "export", "load_dataset", "read_folder", "report",
        # The three questions (graphkit.answers and the measures it runs).
        "Answers", "answers",
        "institution_fields", "institution_reach", "interest_match", "interest_served", "brokers",
        "participation_coefficient", "co_creation", "partnership_effect",
        "creator_kinds", "earning", "earning_by_position",
        "concentration", "lorenz", "fair_access", "resource_allocation",
    ])
    for name in graphkit.__all__:
        assert hasattr(graphkit, name)


def test_every_error_derives_from_graphkit_error():
    for name in ("ConfigError", "LoaderError", "StoreError", "QueryError", "AnalysisError"):
        assert issubclass(getattr(graphkit, name), graphkit.GraphkitError)


def _documented_parameters(doc: str) -> set[str]:
    """The names that a numpydoc ``Parameters`` section lists (``source, target : int`` names both)."""
    lines = doc.splitlines()
    heading = lambda j: j + 1 < len(lines) and lines[j].strip() != "" and set(lines[j + 1].strip()) == {"-"}  # noqa: E731
    names: set[str] = set()
    for i, line in enumerate(lines):
        if line.strip() == "Parameters" and heading(i):
            j = i + 2
            while j < len(lines) and not heading(j):
                if lines[j] and not lines[j][0].isspace():  # an entry; its description is indented
                    names.update(name.strip().lstrip("*") for name in lines[j].split(" : ")[0].split(","))
                j += 1
    return names


def _parameters(obj) -> list[str]:
    """What ``obj`` takes, by name, less ``self``, ``*args`` and ``**kwargs``."""
    if inspect.isclass(obj) and not inspect.isfunction(obj.__init__):
        return []  # a builtin constructor (object's, or Exception's: a message only)
    return [p.name for p in inspect.signature(obj).parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def test_every_public_function_and_class_documents_its_parameters():
    """numpydoc: each parameter of an exported function or class (its constructor's) under ``Parameters``."""
    undocumented = {}
    for package in (graphkit, loaders):
        for name in package.__all__:
            obj = getattr(package, name)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            missing = [p for p in _parameters(obj) if p not in _documented_parameters(inspect.getdoc(obj) or "")]
            if missing:
                undocumented[f"{package.__name__}.{name}"] = missing
    assert not undocumented, f"parameters missing from the docstrings' Parameters sections: {undocumented}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_layers_import_in_one_direction():
    for path in (ROOT / "loaders").glob("*.py"):
        graphkit_imports = {n for n in _imports(path) if n.startswith("graphkit")}
        assert graphkit_imports <= {"graphkit", "graphkit.model", "graphkit.errors"}, path.name
    wiring = {ROOT / "graphkit" / "cli.py", ROOT / "graphkit" / "workflows.py"}  # where loaders meet stores
    for path in (ROOT / "graphkit").rglob("*.py"):
        imports = _imports(path)
        if path not in wiring:
            assert not any(n.startswith("loaders") for n in imports), path
        if "neo4j" in imports or any(n.startswith("neo4j.") for n in imports):
            assert path.name == "neo4j.py" and path.parent.name == "stores", path
        if path.parent.name == "analysis":
            assert not any(n.startswith("graphkit.stores") for n in imports), path
        if path.parent.name == "reports":
            assert not any(n.startswith("graphkit.stores") for n in imports), path


def test_importing_graphkit_loads_neither_loaders_nor_the_driver():
    """The workflows import ``loaders`` when they read a folder, and the Neo4j store is imported on first use."""
    code = "import sys, graphkit; print(sorted(m for m in ('loaders', 'neo4j') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert proc.stdout.strip() == "[]"


def test_the_data_model_doc_lists_every_kind_and_property():
    doc = (ROOT / "docs" / "data-model.md").read_text()
    for kind in model.NODE_KINDS:
        assert f"`{kind.label}`" in doc and f"`{kind.file}.csv`" in doc
        for prop in kind.properties:
            assert re.search(rf"\| `{prop.name}` \| {prop.type} \|", doc), (kind.label, prop.name)
    for rel in model.REL_KINDS:
        assert f"`{rel.type}`" in doc and f"`{rel.file}.csv`" in doc
        for prop in rel.properties:
            assert re.search(rf"\| `{prop.name}` \| {prop.type} \|", doc), (rel.type, prop.name)
    for prop in (*model.DERIVED_PROPERTIES, *model.ANALYSIS_PROPERTIES):
        assert f"`{prop.name}`" in doc


def test_every_cli_command_and_option_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text()
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in commands.items():
        assert f"## graphkit {name}" in doc, name
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in doc, (name, flag)


def test_the_cli_runs_from_an_installed_wheel(tmp_path):
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(wheel_dir), str(ROOT)], check=True, capture_output=True)
    wheel = next(wheel_dir.glob("graphkit-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "GRAPHKIT_CONFIG_DIR": str(tmp_path / "cfg")}
    where = subprocess.run([sys.executable, "-c", "import graphkit, loaders; print(graphkit.__file__, loaders.__file__)"],
                           env=env, capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert where.count(str(target)) == 2
    cypher = list((target / "graphkit" / "_cypher").glob("*.cypher"))
    assert cypher, "cypher/ must ship inside the wheel"
    script = target / "bin" / "graphkit"
    proc = subprocess.run([sys.executable, str(script), "generate", "--scale", "10", "--out", str(tmp_path / "d")],
                          env=env, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([sys.executable, str(script), "load", str(tmp_path / "d"), "--store", str(tmp_path / "s")],
                          env=env, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0 and "Creator\t10" in proc.stdout, proc.stderr
