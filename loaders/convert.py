"""Convert one column of raw values to its model type, flagging every bad cell.

Each converter takes an object Series (strings from CSV; JSON or Parquet values
otherwise) and returns the typed Series plus a boolean mask of cells that are not
valid values.  Missing cells are handled by the caller (:func:`missing_mask`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from graphkit.model import LIST_SEPARATOR, Property

__all__ = ["missing_mask", "convert", "expected"]

_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}


def _is_text(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype)


def missing_mask(values: pd.Series) -> pd.Series:
    """Cells with no value: null, NaN, or a blank string."""
    nulls = values.isna()
    if _is_text(values):
        return (nulls | (values.str.strip() == "")).fillna(True).astype(bool)
    if values.dtype == object:
        blanks = values.map(lambda v: isinstance(v, str) and not v.strip(), na_action="ignore").fillna(False)
        return nulls | blanks.astype(bool)
    return nulls


def expected(prop: Property) -> str:
    """What a valid value of ``prop`` looks like, for messages."""
    text = {
        "string": "text",
        "integer": "an integer",
        "float": "a number",
        "boolean": "true or false",
        "date": "a date as YYYY-MM-DD",
        "enum": "one of " + ", ".join(prop.values),
        "enum_list": f"values from {', '.join(prop.values)} separated by '{LIST_SEPARATOR}'",
    }[prop.type]
    if prop.minimum is not None and prop.type in ("integer", "float"):
        text += f" >= {prop.minimum:g}"
    return text


def _as_text(values: pd.Series) -> pd.Series:
    if _is_text(values):
        return values.str.strip()
    return values.map(lambda v: v if isinstance(v, str) else str(v)).str.strip()


def _string(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    if _is_text(values):
        return values, pd.Series(False, index=values.index)
    # JSON or Parquet: text, or a number taken as its text; lists, maps and booleans are errors.
    bad = values.map(lambda v: isinstance(v, (bool, list, dict, tuple, np.ndarray, np.bool_)))
    text = values.map(lambda v: v if isinstance(v, str) else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)))
    return text.where(~bad), bad.astype(bool)


def _integer(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = _as_text(values)
    ok = text.str.fullmatch(r"[+-]?\d+(\.0*)?")
    ok = ok.fillna(False).astype(bool)
    numbers = pd.to_numeric(text.astype(object).where(ok), errors="coerce").astype("float64")
    ok &= numbers.notna() & (numbers.abs() < 2**63)
    return numbers.where(ok), ~ok


def _float(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = _as_text(values)
    words = text.str.lower().isin(["true", "false"]).fillna(False).astype(bool)
    numbers = pd.to_numeric(text.astype(object).where(~words), errors="coerce").astype("float64")
    ok = numbers.notna() & np.isfinite(numbers.fillna(0).to_numpy(dtype=float))
    return numbers.where(ok), ~ok


def _boolean(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = _as_text(values).str.lower()
    is_true, is_false = text.isin(_TRUE), text.isin(_FALSE)
    return is_true.where(is_true | is_false), ~(is_true | is_false)


def _date(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = _as_text(values)
    dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    ok = dates.notna() & text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    return dates.dt.strftime("%Y-%m-%d").where(ok), ~ok


def _enum(prop: Property) -> Callable[[pd.Series], tuple[pd.Series, pd.Series]]:
    def convert_enum(values: pd.Series) -> tuple[pd.Series, pd.Series]:
        text = _as_text(values)
        ok = text.isin(prop.values)
        return text.where(ok), ~ok

    return convert_enum


def _enum_list(prop: Property) -> Callable[[pd.Series], tuple[pd.Series, pd.Series]]:
    allowed = set(prop.values)

    def split(value: object) -> list[str] | None:
        if isinstance(value, str):
            items = [v.strip() for v in value.split(LIST_SEPARATOR)]
        elif isinstance(value, (list, tuple, np.ndarray)):
            items = [str(v).strip() for v in value]
        else:
            return None
        items = list(dict.fromkeys(v for v in items if v))
        return items if all(v in allowed for v in items) else None

    def convert_list(values: pd.Series) -> tuple[pd.Series, pd.Series]:
        lists = values.astype(object).map(split)
        return lists, lists.isna()

    return convert_list


def convert(prop: Property, values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Typed values and the mask of invalid cells for the non-missing ``values``.

    >>> from graphkit.model import Property
    >>> typed, bad = convert(Property("n", "integer", minimum=0), pd.Series(["3", "x", "-1"], dtype=object))
    >>> typed.tolist()[:1], bad.tolist()
    ([3.0], [False, True, True])
    """
    converters: dict[str, Callable[[pd.Series], tuple[pd.Series, pd.Series]]] = {
        "string": _string,
        "integer": _integer,
        "float": _float,
        "boolean": _boolean,
        "date": _date,
        "enum": _enum(prop),
        "enum_list": _enum_list(prop),
    }
    if values.empty:
        return values, pd.Series(False, index=values.index, dtype=bool)
    typed, bad = converters[prop.type](values)
    if prop.minimum is not None and prop.type in ("integer", "float"):
        bad = bad | (typed < prop.minimum).fillna(False)
    return typed, bad.fillna(True).astype(bool)
