"""The exception tree. Every error graphkit raises on purpose derives from GraphkitError.

::

    GraphkitError
    ├── ConfigError        bad option, missing or unreadable key, bad environment
    │   └── ArgumentError  a bad argument to a public function (also a ValueError)
    ├── LoaderError        a dataset that cannot be read or fails validation
    │                      (``.problems`` lists every Problem: file, line, column, message)
    ├── StoreError         a store cannot be opened, written or queried
    │   └── QueryError     an unknown named query or bad query parameters
    └── AnalysisError      an analysis refused (too large, wrong input) or failed

The CLI prints ``str(error)`` and exits non-zero; it never shows a traceback for these.

Examples
--------
>>> from graphkit.errors import LoaderError, Problem
>>> err = LoaderError([Problem("creators.csv", 3, "followers", "expected an integer, got 'x'")])
>>> print(err)
1 problem in the dataset:
  creators.csv, line 3, column followers: expected an integer, got 'x'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "GraphkitError",
    "ConfigError",
    "ArgumentError",
    "LoaderError",
    "StoreError",
    "QueryError",
    "AnalysisError",
    "Problem",
]


class GraphkitError(Exception):
    """Root of every error graphkit raises on purpose."""


class ConfigError(GraphkitError):
    """A bad option, a missing or unreadable key file, a bad environment variable."""


class ArgumentError(ConfigError, ValueError):
    """A bad argument to a public function: out of range, wrong type, unknown name.

    Raised before any work is done.  It is also a :class:`ValueError`, so code that
    catches that keeps working.
    """


class StoreError(GraphkitError):
    """A store cannot be opened, written or queried."""


class QueryError(StoreError):
    """An unknown named query, or parameters that do not match its declaration."""


class AnalysisError(GraphkitError):
    """An analysis was refused (input too large, wrong graph) or failed."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, located as precisely as the format allows.

    Parameters
    ----------
    file : str
        The file's name.
    line : int or None
        The 1-based physical line for CSV (the header is line 1) and JSON Lines, and the
        1-based row for Parquet; ``None`` when the problem is the file itself.
    column : str or None
        The column, as the file names it; ``None`` when the problem is not one column's.
    message : str
        What is wrong, in a few words.
    """

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class LoaderError(GraphkitError):
    """A dataset failed to read or validate; nothing was written.

    Parameters
    ----------
    problems : list of Problem
        Every problem found, in file order.
    limit : int
        How many problems the message spells out (all stay in ``problems``).
    """

    def __init__(self, problems: list[Problem], limit: int = 50) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} in the dataset:"]
        lines += [f"  {p}" for p in self.problems[:limit]]
        if n > limit:
            lines.append(f"  ... and {n - limit} more")
        super().__init__("\n".join(lines))
