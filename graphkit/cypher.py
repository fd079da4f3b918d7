"""The Cypher library: every statement graphkit runs, one per file in ``cypher/``.

A file's name is the query's name.  Its leading ``//`` comment lines describe it; a line
``// param NAME TYPE description`` declares a parameter (TYPE: string, integer, float,
boolean, list, map).  Values reach the server only as ``$parameters``.  In a built wheel the
files live in ``graphkit/_cypher``; in a source checkout, in the top-level ``cypher/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from graphkit.errors import QueryError

__all__ = ["CypherQuery", "load_query", "query_names", "PARAM_TYPES"]

PARAM_TYPES = ("string", "integer", "float", "boolean", "list", "map")
_PARAM = re.compile(r"^//\s*param\s+(\w+)\s+(\w+)(?:\s+(-?\d+)\.\.(-?\d+))?\s*:?\s*(.*)$")


@dataclass(frozen=True)
class CypherQuery:
    """A named statement: its text, its declared parameters (name → type), description and
    the inclusive bounds of bounded integer parameters (``// param k integer 1..6: ...``)."""

    name: str
    text: str
    params: dict[str, str]
    description: str
    bounds: dict[str, tuple[int, int]] = field(default_factory=dict)


def _folder() -> Path:
    packaged = resources.files("graphkit") / "_cypher"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[1] / "cypher"


def query_names() -> list[str]:
    """The names of every query in the library, sorted."""
    return sorted(p.stem for p in _folder().glob("*.cypher"))


@cache
def load_query(name: str) -> CypherQuery:
    """The named query.

    Raises
    ------
    QueryError
        When no file has that name; the message lists the known names.

    Examples
    --------
    >>> q = load_query("merge_topics")
    >>> q.params
    {'batch': 'map'}
    >>> "$batch.id" in q.text
    True
    """
    path = _folder() / f"{name}.cypher"
    if not re.fullmatch(r"\w+", name) or not path.is_file():
        raise QueryError(f"no Cypher query named {name!r}; known: {', '.join(query_names())}")
    text = path.read_text(encoding="utf-8")
    params, bounds, notes = {}, {}, []
    for line in text.splitlines():
        if not line.startswith("//"):
            continue
        match = _PARAM.match(line)
        if match:
            pname, ptype, low, high, _ = match.groups()
            if ptype not in PARAM_TYPES:
                raise QueryError(f"{path.name}: parameter {pname} has unknown type {ptype!r}")
            params[pname] = ptype
            if low is not None:
                bounds[pname] = (int(low), int(high))
        else:
            notes.append(line.lstrip("/ ").strip())
    return CypherQuery(name, text, params, " ".join(notes), bounds)
