"""The Cypher library: every statement graphkit runs, one per file in ``cypher/``.

A file's name is the query's name.  ``cypher/queries/`` holds the named queries users run
(``Store.query``, ``graphkit query``); the files directly in ``cypher/`` are the toolkit's
own statements (schema, loading, projection, write-back), not runnable by name from
outside.  A file's leading ``//`` lines describe it; ``// param NAME TYPE [LOW..HIGH]:
description`` declares a parameter.  TYPE is one of :data:`PARAM_TYPES`; ``segment`` and
``score`` take property names, checked against the data model.  Values reach the server
only as ``$parameters``.  In a built wheel the files live in ``graphkit/_cypher``; in a
source checkout, in the top-level ``cypher/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from graphkit import model
from graphkit.errors import QueryError

__all__ = ["CypherQuery", "PARAM_TYPES", "coerce_params", "load_query", "query_names"]

PARAM_TYPES = ("string", "integer", "float", "boolean", "list", "map", "segment", "score")
#: Property names a ``segment`` or ``score`` parameter may take.
CHOICES: dict[str, tuple[str, ...]] = {
    "segment": tuple(p.name for p in model.VIEWER.properties if p.type == "enum"),
    "score": tuple(p.name for p in model.ANALYSIS_PROPERTIES),
}
_INT64 = (-(2**63), 2**63 - 1)
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
    public: bool = False


def _folder() -> Path:
    packaged = resources.files("graphkit") / "_cypher"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[1] / "cypher"


def query_names(public: bool = False) -> list[str]:
    """The names of every statement in the library (only the named queries if ``public``), sorted."""
    folder = _folder()
    public_names = [p.stem for p in (folder / "queries").glob("*.cypher")]
    return sorted(public_names if public else public_names + [p.stem for p in folder.glob("*.cypher")])


@cache
def load_query(name: str) -> CypherQuery:
    """The named statement.

    Raises
    ------
    QueryError
        When no file has that name; the message lists the known names.

    Examples
    --------
    >>> q = load_query("merge_topics")
    >>> q.params, q.public
    ({'batch': 'map'}, False)
    >>> load_query("institution_reach").bounds
    {'k': (1, 6)}
    """
    folder = _folder()
    candidates = [folder / "queries" / f"{name}.cypher", folder / f"{name}.cypher"] if re.fullmatch(r"\w+", name) else []
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise QueryError(f"no Cypher query named {name!r}; known: {', '.join(query_names(public=True))}")
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
    return CypherQuery(name, text, params, " ".join(notes), bounds, public=path.parent.name == "queries")


def coerce_params(query: CypherQuery, params: dict[str, Any]) -> dict[str, Any]:
    """Check ``params`` against the query's declaration and convert strings (CLI values).

    Examples
    --------
    >>> coerce_params(load_query("institution_reach"), {"institution": "i1", "k": "3"})
    {'institution': 'i1', 'k': 3}
    >>> coerce_params(load_query("segment_coverage"), {"segment": "id"})
    Traceback (most recent call last):
    ...
    graphkit.errors.QueryError: parameter segment of segment_coverage must be one of age_band, region_type, got 'id'
    """
    missing = sorted(set(query.params) - set(params))
    unknown = sorted(set(params) - set(query.params))
    if missing or unknown:
        declared = ", ".join(f"{k} ({t})" for k, t in query.params.items()) or "none"
        wrong = f"missing: {', '.join(missing)}" if missing else f"unknown: {', '.join(unknown)}"
        raise QueryError(f"query {query.name} takes parameters: {declared}; {wrong}")
    out = {}
    for name, value in params.items():
        kind = query.params[name]
        try:
            if kind == "integer":
                value = int(value)
            elif kind == "float":
                value = float(value)
            elif kind == "boolean" and isinstance(value, str):
                if value.lower() not in ("true", "false"):
                    raise ValueError(value)
                value = value.lower() == "true"
            elif kind == "list" and isinstance(value, str):
                value = [v for v in value.split(",") if v]
        except (TypeError, ValueError):
            raise QueryError(f"parameter {name} of {query.name} must be {kind}, got {value!r}") from None
        if kind in CHOICES and value not in CHOICES[kind]:
            raise QueryError(f"parameter {name} of {query.name} must be one of {', '.join(CHOICES[kind])}, got {value!r}")
        if kind == "integer":
            low, high = query.bounds.get(name, _INT64)
            if not low <= value <= high:
                raise QueryError(f"parameter {name} of {query.name} must be between {low} and {high}, got {value}")
        out[name] = value
    return out
