"""Shared fixtures: an isolated config folder, small hand-made datasets, a generated dataset,
the real ``graphkit`` entry point, and the stores (``store`` is each implementation in turn)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import loaders
from graphkit import EmbeddedStore, Neo4jStore, Pseudonymiser

TEST_KEY = b"graphkit-test-key-0123456789"

#: A small valid dataset touching every kind; tests copy and break it.
VALID = {
    "creators.csv": "id,name,followers,joined,region,income_streams\n"
    "c1,Physics Lab,4000000,2018-05-01,Beijing,advertising;revenue_sharing\n"
    "c2,Dr. 李,1200,2021-03-09,Chengdu,\n",
    "institutions.csv": "id,name,category,followers,region\ni1,Institute of Physics,research_institute,4000000,Beijing\n",
    "topics.csv": "id,name,level\nt0,Science,0\nt1,Physics,1\n",
    "viewers.csv": "id,age_band,region_type\nraw-viewer-1,60_plus,rural\nraw-viewer-2,under_18,urban\n",
    "affiliated_with.csv": "source_id,target_id,role\nc1,i1,official account\n",
    "publishes_on.csv": "source_id,target_id,videos,views\nc1,t1,12,50000\nc2,t1,0,0\n",
    "follows.csv": "source_id,target_id,since\nraw-viewer-1,c1,2023-01-02\n",
    "engages_with.csv": "source_id,target_id,views,likes,shares,comments,watch_seconds\n"
    "raw-viewer-1,c1,5,2,0,1,130.5\nraw-viewer-2,c2,1,,,,\n",
    "interested_in.csv": "source_id,target_id\nraw-viewer-1,t1\n",
    "subtopic_of.csv": "source_id,target_id\nt1,t0\n",
    "collaborates_with.csv": "source_id,target_id,videos\nc1,c2,3\n",
    "partners_with.csv": "source_id,target_id,campaign\ni1,c1,science_support_plan\n",
}
RAW_VIEWER_IDS = ("raw-viewer-1", "raw-viewer-2")


@pytest.fixture(autouse=True)
def isolated_config(tmp_path_factory, monkeypatch):
    """Never read or create the real user's key: each test gets its own config folder."""
    monkeypatch.setenv("GRAPHKIT_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("GRAPHKIT_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("GRAPHKIT_PSEUDONYM_KEY_FILE", raising=False)


@pytest.fixture
def pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser(TEST_KEY)


def write_dataset(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def valid_dataset(tmp_path) -> Path:
    return write_dataset(tmp_path / "valid", VALID)


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """The generator's dataset at the demo scale (1000 creators, about 110k relationships)."""
    out = tmp_path_factory.mktemp("generated") / "dataset"
    loaders.generate(1000, 7, out)
    return out


def graphkit_cli(*args: str, cwd: Path | None = None, env: dict | None = None, check: bool = False):
    """Run the installed ``graphkit`` console script."""
    exe = Path(sys.executable).parent / "graphkit"
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([str(exe), *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"graphkit {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    """The test server's URI (scripts/test starts it); in CI or under scripts/test its absence fails the test."""
    uri = os.environ.get("GRAPHKIT_TEST_NEO4J_URI")
    if not uri:
        if os.environ.get("CI", "").lower() == "true" or os.environ.get("GRAPHKIT_REQUIRE_NEO4J"):
            pytest.fail("no Neo4j test server (GRAPHKIT_TEST_NEO4J_URI unset): run the tests with scripts/test")
        pytest.skip("no Neo4j test server: run scripts/test")
    return uri


@pytest.fixture
def neo4j_store(neo4j_uri):
    """The test server's database, emptied first: only a server the tests were pointed at."""
    with Neo4jStore(neo4j_uri) as s:
        s.clear()
        yield s


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request):
    """An empty store of each implementation: the embedded store in memory, then the Neo4j test
    server's database (cleared; a missing server fails where :func:`neo4j_uri` says it must)."""
    if request.param == "neo4j":
        return request.getfixturevalue("neo4j_store")
    return EmbeddedStore()
