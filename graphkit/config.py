"""Every environment variable graphkit reads, in one place.

No other module reads ``os.environ`` (a test checks it); each setting is read through a
small typed function here, which checks it and says which variable was wrong.

==================================  ===============================================  ==============================
variable                            meaning                                          default
==================================  ===============================================  ==============================
``NEO4J_URI``                       Bolt URI of the Neo4j store (no credentials)     none: ``--neo4j URI`` needed
``NEO4J_USER``                      Neo4j user                                       ``neo4j``
``NEO4J_PASSWORD``                  Neo4j password (never logged or shown)           none: required for Neo4j
``GRAPHKIT_NEO4J_MAX_RETRY_TIME``   seconds the driver retries a failed transaction  30
``GRAPHKIT_NEO4J_CONNECT_TIMEOUT``  seconds to open a connection (Bolt handshake)    5
``GRAPHKIT_PSEUDONYM_KEY``          the viewer pseudonym key itself                  unset
``GRAPHKIT_PSEUDONYM_KEY_FILE``     a file holding the pseudonym key                 unset
``GRAPHKIT_CONFIG_DIR``             the user's graphkit configuration folder         ``$XDG_CONFIG_HOME/graphkit``
``XDG_CONFIG_HOME``                 the user's configuration base folder             ``~/.config``
``GRAPHKIT_NETWORK_BUNDLE``         the report's network-view bundle, built          ``js/dist/network-view.js``
==================================  ===============================================  ==============================

A function's argument, when given, wins over its variable.  A bad argument raises
:class:`~graphkit.ArgumentError`; a bad variable, :class:`~graphkit.ConfigError` naming it.
Neither message ever quotes a password or a URI's query string.

Examples
--------
>>> neo4j_connect_timeout(2.5)
2.5
>>> checked_uri("neo4j://db.example:7687?region=eu")
('neo4j://db.example:7687?region=eu', 'neo4j://db.example:7687')
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from graphkit.errors import ArgumentError, ConfigError

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_RETRY_TIME",
    "VARIABLES",
    "Variable",
    "checked_uri",
    "config_dir",
    "neo4j_connect_timeout",
    "neo4j_max_retry_time",
    "neo4j_password",
    "neo4j_uri",
    "neo4j_user",
    "pseudonym_key",
    "pseudonym_key_file",
]

#: Seconds to open a connection (TCP and Bolt handshake) when neither the argument nor
#: ``$GRAPHKIT_NEO4J_CONNECT_TIMEOUT`` says otherwise.
DEFAULT_CONNECT_TIMEOUT = 5.0
#: Seconds the driver keeps retrying a failed transaction by default.
DEFAULT_MAX_RETRY_TIME = 30.0


@dataclass(frozen=True)
class Variable:
    """One environment variable graphkit reads: its name, what it means, its default."""

    name: str
    meaning: str
    default: str


#: Every variable graphkit reads, in the order of the table above.
VARIABLES = (
    Variable("NEO4J_URI", "Bolt URI of the Neo4j store, without credentials", "none"),
    Variable("NEO4J_USER", "Neo4j user", "neo4j"),
    Variable("NEO4J_PASSWORD", "Neo4j password, never logged or shown", "none"),
    Variable("GRAPHKIT_NEO4J_MAX_RETRY_TIME", "seconds the driver retries a failed transaction",
             f"{DEFAULT_MAX_RETRY_TIME:g}"),
    Variable("GRAPHKIT_NEO4J_CONNECT_TIMEOUT", "seconds to open a connection, the Bolt handshake included",
             f"{DEFAULT_CONNECT_TIMEOUT:g}"),
    Variable("GRAPHKIT_PSEUDONYM_KEY", "the viewer pseudonym key itself", "unset"),
    Variable("GRAPHKIT_PSEUDONYM_KEY_FILE", "a file holding the viewer pseudonym key", "unset"),
    Variable("GRAPHKIT_CONFIG_DIR", "the user's graphkit configuration folder", "$XDG_CONFIG_HOME/graphkit"),
    Variable("XDG_CONFIG_HOME", "the user's configuration base folder", "~/.config"),
    Variable("GRAPHKIT_NETWORK_BUNDLE", "the report's network-view bundle (sigma.js and graphology), built",
             "js/dist/network-view.js"),
)

_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}
#: Query-string keys that carry secrets: refused, never echoed.
_SECRET_KEYS = re.compile(r"pass|pwd|secret|token|auth|cred|key", re.IGNORECASE)


def _env(name: str) -> str | None:
    """The variable's value; unset and empty both read as ``None``."""
    return os.environ.get(name) or None


def checked_uri(uri: str, *, error: type[ConfigError] = ArgumentError) -> tuple[str, str]:
    """The URI and how messages show it, if it is a Bolt URI with no credentials in it.

    Credentials belong in NEO4J_USER and NEO4J_PASSWORD: userinfo, or a query-string key
    that looks like a secret, is refused without echoing any of it.  Messages show the URI
    without its query string.

    Parameters
    ----------
    uri : str
        A ``bolt://`` or ``neo4j://`` URI (``+s`` and ``+ssc`` variants too).
    error : type
        What a bad URI raises: :class:`~graphkit.ArgumentError` for an argument,
        :class:`~graphkit.ConfigError` for ``$NEO4J_URI``.

    Returns
    -------
    tuple of str
        The URI as given, and the URI without its query string, for messages.

    Raises
    ------
    ConfigError
        Not a Bolt URI, or one that carries credentials, a path or a fragment (of the
        class ``error``).

    Examples
    --------
    >>> checked_uri("bolt://127.0.0.1:7687")
    ('bolt://127.0.0.1:7687', 'bolt://127.0.0.1:7687')
    >>> checked_uri("bolt://127.0.0.1:7687?password=hunter2")
    Traceback (most recent call last):
    ...
    graphkit.errors.ArgumentError: put Neo4j credentials in NEO4J_USER and NEO4J_PASSWORD, not in the URI's query string
    """
    if not isinstance(uri, str) or not uri:
        raise error(f"a Neo4j URI must be a non-empty string, got {type(uri).__name__}")
    try:
        parts = urlsplit(uri)
        query, _ = parse_qsl(parts.query, keep_blank_values=True), parts.port  # a bad port raises here
    except ValueError:
        # urllib's message quotes the URI, which may hold a secret: not chained on purpose.
        raise error("not a valid Neo4j URI (expected e.g. bolt://127.0.0.1:7687)") from None
    bare = [pair for pair in parts.query.split("&") if parts.query and "=" not in pair]
    if "@" in parts.netloc or bare or any(_SECRET_KEYS.search(key) for key, _ in query):
        where = "URI" if "@" in parts.netloc else "URI's query string"
        raise error(f"put Neo4j credentials in NEO4J_USER and NEO4J_PASSWORD, not in the {where}")
    shown = f"{parts.scheme}://{parts.netloc}"
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise error(f"not a Neo4j Bolt URI: {shown!r} (expected e.g. bolt://127.0.0.1:7687)")
    if parts.query and parts.scheme.startswith("bolt"):
        raise error(f"a bolt:// URI takes no query string ({shown}); a routing context needs neo4j://")
    if parts.fragment or parts.path.strip("/"):
        raise error(f"a Neo4j URI has no path or fragment ({shown}/...); name the database with database=")
    return uri, shown


def neo4j_uri(uri: str | None = None) -> tuple[str, str]:
    """The Neo4j URI: ``uri``, else ``$NEO4J_URI``, checked by :func:`checked_uri`.

    Returns
    -------
    tuple of str
        The URI and how messages show it (without its query string).

    Raises
    ------
    ConfigError
        Neither given, or a bad ``$NEO4J_URI``; :class:`~graphkit.ArgumentError` for a
        bad ``uri``.
    """
    if uri:
        return checked_uri(uri)
    from_env = _env("NEO4J_URI")
    if from_env is None:
        raise ConfigError("no Neo4j URI: pass --neo4j URI or set NEO4J_URI")
    return checked_uri(from_env, error=ConfigError)


def neo4j_user(user: str | None = None) -> str:
    """The Neo4j user: ``user``, else ``$NEO4J_USER``, else ``neo4j``.

    >>> neo4j_user("reader")
    'reader'
    """
    return user or _env("NEO4J_USER") or "neo4j"


def neo4j_password(password: str | None = None) -> str:
    """The Neo4j password: ``password``, else ``$NEO4J_PASSWORD``.

    Raises
    ------
    ConfigError
        Neither is set.  The password itself is never part of a message.
    """
    if password is not None:
        if not isinstance(password, str):
            raise ArgumentError(f"the Neo4j password must be a string, got {type(password).__name__}")
        return password
    found = os.environ.get("NEO4J_PASSWORD")
    if found is None:
        raise ConfigError("no Neo4j password: set NEO4J_PASSWORD")
    return found


def _seconds(value: float | None, env: str, default: float, what: str) -> float:
    """A positive, finite number of seconds: the argument, else ``$env``, else ``default``."""
    if value is None:
        raw = os.environ.get(env)
        if raw is None:
            return default
        try:
            seconds = float(raw)
        except ValueError:
            seconds = math.nan
        if not 0 < seconds < math.inf:
            raise ConfigError(f"{env} must be a positive number of seconds, got {raw!r}")
        return seconds
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
        raise ArgumentError(f"{what} must be a positive number of seconds, got {value!r}")
    return float(value)


def neo4j_max_retry_time(value: float | None = None) -> float:
    """Seconds the driver retries a failed transaction.

    ``value``, else ``$GRAPHKIT_NEO4J_MAX_RETRY_TIME``, else :data:`DEFAULT_MAX_RETRY_TIME` (30).

    Raises
    ------
    ArgumentError
        ``value`` is not a positive, finite number.
    ConfigError
        The variable is not one.
    """
    return _seconds(value, "GRAPHKIT_NEO4J_MAX_RETRY_TIME", DEFAULT_MAX_RETRY_TIME, "max_retry_time")


def neo4j_connect_timeout(value: float | None = None) -> float:
    """Seconds to open a connection.

    ``value``, else ``$GRAPHKIT_NEO4J_CONNECT_TIMEOUT``, else :data:`DEFAULT_CONNECT_TIMEOUT` (5).

    Raises
    ------
    ArgumentError
        ``value`` is not a positive, finite number.
    ConfigError
        The variable is not one.

    Examples
    --------
    >>> neo4j_connect_timeout(0)
    Traceback (most recent call last):
    ...
    graphkit.errors.ArgumentError: connection_timeout must be a positive number of seconds, got 0
    """
    return _seconds(value, "GRAPHKIT_NEO4J_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT, "connection_timeout")


def pseudonym_key() -> bytes | None:
    """``$GRAPHKIT_PSEUDONYM_KEY`` as bytes (UTF-8), or ``None`` when unset or empty."""
    key = _env("GRAPHKIT_PSEUDONYM_KEY")
    return None if key is None else key.encode()


def pseudonym_key_file() -> Path | None:
    """``$GRAPHKIT_PSEUDONYM_KEY_FILE`` as a path, or ``None`` when unset or empty."""
    path = _env("GRAPHKIT_PSEUDONYM_KEY_FILE")
    return None if path is None else Path(path)


def child_environment() -> dict[str, str]:
    """A copy of the environment for a child process graphkit starts (``scripts/neo4j``), to add to.

    The child reads the variables it needs itself; nothing here is logged.
    """
    return dict(os.environ)


def network_bundle() -> Path | None:
    """``$GRAPHKIT_NETWORK_BUNDLE`` as a path, or ``None`` when unset or empty (the built ``js/dist`` copy is used)."""
    path = _env("GRAPHKIT_NETWORK_BUNDLE")
    return Path(path) if path else None


def config_dir() -> Path:
    """The user's graphkit configuration folder (not created).

    ``$GRAPHKIT_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/graphkit``, else ``~/.config/graphkit``.
    """
    folder = _env("GRAPHKIT_CONFIG_DIR")
    if folder is not None:
        return Path(folder)
    return Path(_env("XDG_CONFIG_HOME") or Path.home() / ".config") / "graphkit"
