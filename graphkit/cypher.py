"""The Cypher library: every statement graphkit runs, one per file in ``cypher/``.

A file's name is the query's name.  ``cypher/queries/`` holds the named queries users run
(``Store.query``, ``graphkit query``); the files directly in ``cypher/`` are the toolkit's
own statements (schema, loading, projection, write-back), not runnable by name from
outside.  A file's leading ``//`` lines describe it; ``// param NAME TYPE [LOW..HIGH]:
description`` declares a parameter.  TYPE is one of :data:`PARAM_TYPES`; ``segment`` and
``score`` take property names, checked against the data model; ``id:LABEL`` (for example
``id:Topic``) takes the id of a node of that label, which the store checks exists before
it runs the query.  Values reach the server only as ``$parameters``.  In a built wheel
the files live in ``graphkit/_cypher``; in a source checkout, in the top-level ``cypher/``.

:func:`check_query` checks a named query's name and parameters without a database, so a
caller can refuse a wrong call before it connects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from graphkit import model
from graphkit.errors import QueryError

__all__ = ["CypherQuery", "PARAM_TYPES", "check_query", "coerce_params", "load_query", "query_names"]

PARAM_TYPES = ("string", "integer", "float", "boolean", "list", "map", "segment", "score", "id")
#: Property names a ``segment`` or ``score`` parameter may take.
CHOICES: dict[str, tuple[str, ...]] = {
    "segment": tuple(p.name for p in model.VIEWER.properties if p.type == "enum"),
    "score": tuple(p.name for p in model.ANALYSIS_PROPERTIES),
}
_INT64 = (-(2**63), 2**63 - 1)
_LABELS = tuple(k.label for k in model.NODE_KINDS)
_PARAM = re.compile(r"^//\s*param\s+(\w+)\s+(\w+)(?::(\w+))?(?:\s+(-?\d+)\.\.(-?\d+))?\s*:?\s*(.*)$")


@dataclass(frozen=True)
class CypherQuery:
    """A named statement, its declared parameters and their bounds.

    Its text, its declared parameters (name → type), description, the inclusive bounds of
    bounded integer parameters (``// param k integer 1..6: ...``) and the node label of each
    ``id`` parameter (``// param topic id:Topic: ...``).
    """

    name: str
    text: str
    params: dict[str, str]
    description: str
    bounds: dict[str, tuple[int, int]] = field(default_factory=dict)
    public: bool = False
    labels: dict[str, str] = field(default_factory=dict)

    def signature(self) -> str:
        """The parameters as ``name (type)``, comma-separated, for messages and help.

        Examples
        --------
        >>> load_query("institution_reach").signature()
        'institution (Institution id), k (integer 1..6)'
        >>> load_query("segment_coverage").signature()
        'segment (one of age_band|region_type)'
        """
        def shown(name: str, kind: str) -> str:
            if name in self.labels:
                return f"{self.labels[name]} id"
            if name in self.bounds:
                return f"{kind} {self.bounds[name][0]}..{self.bounds[name][1]}"
            if kind in CHOICES:
                return "one of " + "|".join(CHOICES[kind])
            return kind
        return ", ".join(f"{k} ({shown(k, t)})" for k, t in self.params.items()) or "none"


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
    >>> load_query("institution_reach").bounds, load_query("institution_reach").labels
    ({'k': (1, 6)}, {'institution': 'Institution'})
    """
    folder = _folder()
    candidates = [folder / "queries" / f"{name}.cypher", folder / f"{name}.cypher"] if re.fullmatch(r"\w+", name) else []
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise QueryError(f"no Cypher query named {name!r}; known: {', '.join(query_names(public=True))}")
    text = path.read_text(encoding="utf-8")
    params, bounds, labels, notes = {}, {}, {}, []
    for line in text.splitlines():
        if not line.startswith("//"):
            continue
        match = _PARAM.match(line)
        if match:
            pname, ptype, label, low, high, _ = match.groups()
            if ptype not in PARAM_TYPES:
                raise QueryError(f"{path.name}: parameter {pname} has unknown type {ptype!r}")
            if (ptype == "id") != (label is not None) or (label and label not in _LABELS):
                raise QueryError(f"{path.name}: parameter {pname} must be declared id:LABEL with a label of "
                                 f"the model ({', '.join(_LABELS)}); only id takes a label")
            params[pname] = ptype
            if label:
                labels[pname] = label
            if low is not None:
                bounds[pname] = (int(low), int(high))
        else:
            notes.append(line.lstrip("/ ").strip())
    return CypherQuery(name, text, params, " ".join(notes), bounds, public=path.parent.name == "queries",
                       labels=labels)


def check_query(name: str, params: Mapping[str, Any]) -> tuple[CypherQuery, dict[str, Any]]:
    """Check a named query's name and parameters, with no database: what ``Store.query`` runs.

    Call it before connecting, so a wrong name or parameter is reported as itself and not
    hidden behind a connection error.  Whether the ids exist is checked by the store.

    Parameters
    ----------
    name : str
        A named query (a file in ``cypher/queries/``).
    params : mapping
        Parameter values; strings (CLI values) are converted to the declared types.

    Returns
    -------
    (CypherQuery, dict)
        The query and its converted parameters.

    Raises
    ------
    QueryError
        An unknown name (the message lists the named queries), one of graphkit's own
        statements, or parameters that do not match the declaration.

    Examples
    --------
    >>> query, params = check_query("top_creators_in_topic", {"topic": "t1", "limit": "5"})
    >>> query.labels, params
    ({'topic': 'Topic'}, {'topic': 't1', 'limit': 5})
    >>> check_query("institution_reach", {"institution": "i1", "k": "9"})
    Traceback (most recent call last):
    ...
    graphkit.errors.QueryError: parameter k of institution_reach must be between 1 and 6, got 9
    """
    if not isinstance(name, str):
        raise QueryError(f"a query name is a string, got {type(name).__name__}")
    query = load_query(name)
    if not query.public:
        raise QueryError(f"{name} is one of graphkit's own statements, not a named query; "
                         f"known: {', '.join(query_names(public=True))}")
    return query, coerce_params(query, dict(params))


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
        wrong = f"missing: {', '.join(missing)}" if missing else f"unknown: {', '.join(unknown)}"
        raise QueryError(f"query {query.name} takes parameters: {query.signature()}; {wrong}")
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
        if kind == "id" and not (isinstance(value, str) and value):
            raise QueryError(f"parameter {name} of {query.name} must be a {query.labels[name]} id (text), "
                             f"got {value!r}")
        if kind in CHOICES and value not in CHOICES[kind]:
            raise QueryError(f"parameter {name} of {query.name} must be one of {', '.join(CHOICES[kind])}, got {value!r}")
        if kind == "integer":
            low, high = query.bounds.get(name, _INT64)
            if not low <= value <= high:
                raise QueryError(f"parameter {name} of {query.name} must be between {low} and {high}, got {value}")
        out[name] = value
    return out
