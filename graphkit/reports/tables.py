r"""CSV that a spreadsheet cannot run: every CSV graphkit writes goes through :func:`write_csv`.

Spreadsheet programs read a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula.  Such text cells get a leading apostrophe, the
usual escape (OWASP's advice on CSV injection); numbers are left as they are.  Lines end
in CRLF as RFC 4180 says, which also makes the writer quote a cell holding a bare carriage
return (with ``\n`` line ends it would write it raw and a reader would split the row).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

__all__ = ["FORMULA_STARTS", "neutralise", "write_csv"]

#: First characters that make a spreadsheet treat a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    Examples
    --------
    >>> neutralise(pd.DataFrame({"id": ["@c1", "c2"], "n": [-1, 2]})).to_dict("list")
    {'id': ["'@c1", 'c2'], 'n': [-1, 2]}
    """
    out = frame.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            out[col] = out[col].map(_cell, na_action="ignore")
    out.columns = [_cell(c) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str | None:
    """Write ``frame`` as CSV (no index) with formulas neutralised; returns the text when ``path`` is None."""
    safe = neutralise(frame)
    if path is None:
        buffer = io.StringIO()
        safe.to_csv(buffer, index=False, lineterminator="\r\n")
        return buffer.getvalue()
    safe.to_csv(path, index=False, lineterminator="\r\n")
    return None
