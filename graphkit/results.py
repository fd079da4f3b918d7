"""The result of an analysis: a sorted DataFrame, a summary and a provenance record.

Provenance travels in its own typed record, not in ``DataFrame.attrs`` (pandas drops
attrs on most operations).
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

__all__ = ["Provenance", "Result", "library_versions"]

_LIBRARIES = ("graphkit", "networkx", "python-louvain", "pandas", "numpy")  # the engine adds its own


def library_versions() -> dict[str, str]:
    """Versions of the libraries an analysis may use (those installed)."""
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


@dataclass(frozen=True)
class Provenance:
    """How a result was computed.

    Parameters
    ----------
    function : str
        The graphkit function, e.g. ``"louvain"``.
    parameters : dict
        Its parameters as given (seed included).
    engine : str
        The library that computed it, e.g. ``"python-louvain"``.
    seed : int or None
        The random seed, when the algorithm is random.
    conversions : tuple of str
        Changes made to the input, e.g. ``"directed graph made undirected, weights summed"``.
    versions : dict
        Library versions (:func:`library_versions`).
    graph : dict or None
        The analysis graph the input was (``AnalysisGraph.describe()``: its name, kinds,
        relationship types, direction and weight formulas); ``None`` for any other input.
    """

    function: str
    parameters: dict[str, Any]
    engine: str
    seed: int | None = None
    conversions: tuple[str, ...] = ()
    versions: dict[str, str] = field(default_factory=library_versions)
    graph: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record as plain dicts and lists (``dataclasses.asdict``), ready for JSON."""
        return asdict(self)


@dataclass(frozen=True)
class Result:
    """A DataFrame (columns documented by the function returning it), a summary and provenance.

    Parameters
    ----------
    frame : DataFrame
        The result rows, sorted deterministically.
    provenance : Provenance
        How the result was computed.
    summary : dict
        Scalar findings (e.g. ``modularity``, ``communities``), keyed by name.

    Examples
    --------
    >>> r = Result(pd.DataFrame({"id": ["a"], "x": [1.0]}), Provenance("demo", {}, "pandas"), {"n": 1})
    >>> r.summary["n"], r.provenance.function
    (1, 'demo')
    """

    frame: pd.DataFrame
    provenance: Provenance
    summary: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, rows: int | None = None) -> dict[str, Any]:
        """JSON-ready form; ``rows`` limits the frame's rows included."""
        frame = self.frame if rows is None else self.frame.head(rows)
        return {
            "summary": self.summary,
            "provenance": self.provenance.to_dict(),
            "rows": len(self.frame),
            "frame": frame.to_dict(orient="records"),
        }
