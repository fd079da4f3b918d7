"""graphkit.config: every environment variable graphkit reads, read in that module only, each
documented once, an argument winning over its variable, and one error class per kind of mistake."""

from __future__ import annotations

import ast
import re
import socket
import traceback
from pathlib import Path

import pytest

from graphkit import ArgumentError, ConfigError, StoreError, config
from graphkit.stores.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "graphkit").rglob("*.py"), *(ROOT / "loaders").glob("*.py")])
NAMES = {v.name for v in config.VARIABLES}
_READERS = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
_VARIABLE = re.compile(r"(NEO4J|GRAPHKIT|XDG)_[A-Z0-9_]+")

ALL_VARIABLES = ["NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "GRAPHKIT_NEO4J_MAX_RETRY_TIME",
                 "GRAPHKIT_NEO4J_CONNECT_TIMEOUT", "GRAPHKIT_PSEUDONYM_KEY", "GRAPHKIT_PSEUDONYM_KEY_FILE",
                 "GRAPHKIT_CONFIG_DIR", "XDG_CONFIG_HOME", "GRAPHKIT_NETWORK_BUNDLE"]


def _reads_environment(path: Path) -> list[int]:
    """Lines where ``path`` touches the process environment (``os.environ``, ``getenv``, ...)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in _READERS:
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and {a.name for a in node.names} & _READERS:
            lines.append(node.lineno)
    return lines


def test_only_the_config_module_reads_the_environment():
    readers = {str(p.relative_to(ROOT)): _reads_environment(p) for p in SOURCES}
    assert readers.pop("graphkit/config.py"), "the check must see config.py's own reads"
    assert {p: lines for p, lines in readers.items() if lines} == {}


def test_every_variable_is_listed_once_with_its_meaning_and_default():
    assert [v.name for v in config.VARIABLES] == ALL_VARIABLES
    assert all(v.meaning and v.default for v in config.VARIABLES)
    tree = ast.parse((ROOT / "graphkit" / "config.py").read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree) or ""
    read = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and _VARIABLE.fullmatch(n.value)}
    assert read == NAMES  # every name the module uses is in VARIABLES, and each is used
    for name in NAMES:
        assert re.search(rf"^``{name}``\s", docstring, re.M), name  # the table in the docstring


def test_the_architecture_doc_lists_every_variable():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = doc.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for variable in config.VARIABLES:
        assert re.search(rf"^\| `{variable.name}` \|", section, re.M), variable.name


@pytest.fixture
def clean_env(monkeypatch):
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_an_argument_wins_over_its_variable_and_the_variable_over_the_default(clean_env, tmp_path):
    assert config.neo4j_user() == "neo4j" and config.neo4j_connect_timeout() == config.DEFAULT_CONNECT_TIMEOUT
    assert config.neo4j_max_retry_time() == 30.0
    clean_env.setenv("NEO4J_USER", "reader")
    clean_env.setenv("GRAPHKIT_NEO4J_CONNECT_TIMEOUT", "2.5")
    clean_env.setenv("GRAPHKIT_NEO4J_MAX_RETRY_TIME", "7")
    clean_env.setenv("NEO4J_URI", "neo4j://db.example:7687")
    clean_env.setenv("NEO4J_PASSWORD", "")  # an empty password is a password
    assert config.neo4j_user() == "reader" and config.neo4j_user("admin") == "admin"
    assert config.neo4j_connect_timeout() == 2.5 and config.neo4j_connect_timeout(1) == 1.0
    assert config.neo4j_max_retry_time() == 7.0
    assert config.neo4j_uri() == ("neo4j://db.example:7687", "neo4j://db.example:7687")
    assert config.neo4j_uri("bolt://other:7687")[1] == "bolt://other:7687"
    assert config.neo4j_password() == "" and config.neo4j_password("pw") == "pw"


def test_the_config_folder_and_the_key_variables(clean_env, tmp_path):
    clean_env.setenv("HOME", str(tmp_path / "home"))
    assert config.config_dir() == tmp_path / "home" / ".config" / "graphkit"
    clean_env.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config.config_dir() == tmp_path / "xdg" / "graphkit"
    clean_env.setenv("GRAPHKIT_CONFIG_DIR", str(tmp_path / "cfg"))
    assert config.config_dir() == tmp_path / "cfg"
    assert config.pseudonym_key() is None and config.pseudonym_key_file() is None
    clean_env.setenv("GRAPHKIT_PSEUDONYM_KEY", "")  # empty reads as unset
    assert config.pseudonym_key() is None
    clean_env.setenv("GRAPHKIT_PSEUDONYM_KEY", "κλειδί-0123456789")
    clean_env.setenv("GRAPHKIT_PSEUDONYM_KEY_FILE", str(tmp_path / "key"))
    assert config.pseudonym_key() == "κλειδί-0123456789".encode() and config.pseudonym_key_file() == tmp_path / "key"


@pytest.mark.parametrize("call, message", [
    (lambda: config.neo4j_connect_timeout(-1), "connection_timeout must be a positive number of seconds"),
    (lambda: config.neo4j_max_retry_time(float("inf")), "max_retry_time must be a positive number of seconds"),
    (lambda: config.checked_uri("http://127.0.0.1:7474"), "not a Neo4j Bolt URI"),
    (lambda: config.neo4j_uri("bolt://u:pw@127.0.0.1:7687"), "not in the URI"),
    (lambda: config.neo4j_password(b"bytes"), "must be a string"),
    (lambda: Neo4jStore("bolt://127.0.0.1:1", password="x", batch_size=0), "batch size must be a positive"),
    (lambda: Neo4jStore("bolt://127.0.0.1:1", password="x", max_retry_time="soon"), "max_retry_time"),
])
def test_a_bad_argument_is_an_argument_error_and_a_value_error(call, message):
    with pytest.raises(ArgumentError, match=message) as err:
        call()
    assert isinstance(err.value, ValueError) and isinstance(err.value, ConfigError)


@pytest.mark.parametrize("name, value, message", [
    ("GRAPHKIT_NEO4J_MAX_RETRY_TIME", "a while", "GRAPHKIT_NEO4J_MAX_RETRY_TIME must be a positive number"),
    ("GRAPHKIT_NEO4J_CONNECT_TIMEOUT", "", "GRAPHKIT_NEO4J_CONNECT_TIMEOUT must be a positive number"),
    ("NEO4J_URI", "http://127.0.0.1:7474", "not a Neo4j Bolt URI"),
])
def test_a_bad_variable_is_a_config_error_not_an_argument_error(clean_env, name, value, message):
    clean_env.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    clean_env.setenv("NEO4J_PASSWORD", "x")
    clean_env.setenv(name, value)
    with pytest.raises(ConfigError, match=message) as err:
        Neo4jStore.from_env()
    assert not isinstance(err.value, ArgumentError)


def test_missing_settings_say_which_variable_to_set(clean_env):
    with pytest.raises(ConfigError, match="no Neo4j URI: pass --neo4j URI or set NEO4J_URI"):
        Neo4jStore.from_env()
    clean_env.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    with pytest.raises(ConfigError, match="no Neo4j password: set NEO4J_PASSWORD"):
        Neo4jStore.from_env()


def test_a_secret_in_a_bad_uri_is_never_echoed(clean_env):
    secret = "Sup3r-s3cret-in-the-uri"
    for uri in (f"bolt://127.0.0.1:{secret}", f"neo4j://127.0.0.1:7687?token={secret}"):
        with pytest.raises(ArgumentError) as err:
            config.checked_uri(uri)
        assert secret not in "".join(traceback.format_exception(err.value))


def test_from_env_reads_every_neo4j_setting(clean_env):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        uri = f"bolt://127.0.0.1:{sock.getsockname()[1]}"  # closed once the block ends
    clean_env.setenv("NEO4J_URI", uri)
    clean_env.setenv("NEO4J_USER", "someone")
    clean_env.setenv("NEO4J_PASSWORD", "pw-from-env")
    clean_env.setenv("GRAPHKIT_NEO4J_CONNECT_TIMEOUT", "1.5")
    with pytest.raises(StoreError, match=f"cannot reach Neo4j at {re.escape(uri)}: connection refused"):
        Neo4jStore.from_env()


@pytest.mark.neo4j
def test_from_env_connects_to_the_test_server(neo4j_uri, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    with Neo4jStore.from_env(batch_size=5) as store:
        assert store.uri == neo4j_uri and store.batch_size == 5
        assert set(store.counts()) >= {"Creator", "FOLLOWS"}
