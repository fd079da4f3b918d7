"""The result of an analysis: a sorted DataFrame, a summary and a provenance record.

Provenance travels in its own typed record, not in ``DataFrame.attrs`` (pandas drops
attrs on most operations).
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from graphkit import _repr

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
    >>> print(r)
    Result of demo (engine pandas): 1 row
    summary: n=1
      id    x
    0  a  1.0
    """

    frame: pd.DataFrame
    provenance: Provenance
    summary: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return "\n".join([*self._describe(), _repr.frame_text(self.frame)])

    def _repr_html_(self) -> str:
        head, *rest = self._describe(summary=False)
        return _repr.html_block(head, rest, self.summary, self.frame)

    def _describe(self, summary: bool = True) -> list[str]:
        """What it is and how it was computed, in a few bounded lines (the frame's head follows)."""
        p = self.provenance
        on = f" on the {p.graph.get('name')!r} analysis graph" if p.graph else ""
        rows = len(self.frame)
        lines = [f"Result of {p.function} (engine {p.engine}){on}: {rows:,} row{'' if rows == 1 else 's'}"]
        if p.parameters:
            lines.append("parameters: " + _repr.cut(_repr.items_text(p.parameters), 200))
        if p.conversions:
            lines.append("conversions: " + _repr.cut("; ".join(p.conversions), 200))
        if summary and self.summary:
            lines.append("summary: " + _repr.items_text(self.summary))
        return lines

    def to_dict(self, rows: int | None = None) -> dict[str, Any]:
        """JSON-ready form; ``rows`` limits the frame's rows included."""
        frame = self.frame if rows is None else self.frame.head(rows)
        return {
            "summary": self.summary,
            "provenance": self.provenance.to_dict(),
            "rows": len(self.frame),
            "frame": frame.to_dict(orient="records"),
        }
