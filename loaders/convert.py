"""Convert one column of raw values to its model type, flagging every bad cell.

Each converter takes an object Series (strings from CSV; JSON or Parquet values
otherwise) and returns the typed Series plus a boolean mask of cells that are not
valid values.  Missing cells are handled by the caller (:func:`missing_mask`).

Before conversion :func:`clean_text` checks the characters of every text cell (see
:data:`TEXT_LEVELS`), strips surrounding whitespace and puts identifiers in Unicode NFC;
:func:`arrow_type_problem` checks a Parquet column's type against its property.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.model import LIST_SEPARATOR, Property

__all__ = ["missing_mask", "convert", "expected", "clean_text", "text_fault", "arrow_type_problem", "TEXT_LEVELS"]

# Refused characters, as code point ranges.  CONTROL: C0 and C1 controls and DEL, except
# tab, line feed and carriage return; BREAKS: those three and the Unicode line and
# paragraph separators; INVISIBLE: Unicode category Cf (zero-width characters, bidi
# controls, the BOM, soft hyphen, tags...) and the invisible fillers and joiners.
_CONTROL = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F))
_BREAKS = ((0x09, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029))
_INVISIBLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x115F, 0x1160), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0x3164, 0x3164), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip
#: What each level of text check refuses: ``"text"`` (free text: region, role; also
#: numbers and dates), ``"label"`` (names and enum values), ``"id"`` (ids and relationship ends).
TEXT_LEVELS = {"text": _CONTROL, "label": _CONTROL + _BREAKS, "id": _CONTROL + _BREAKS + _INVISIBLE}


def _re2_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "[" + "".join(f"\\x{{{a:x}}}" + (f"-\\x{{{b:x}}}" if b > a else "") for a, b in ranges) + "]"


def _py_class(ranges: tuple[tuple[int, int], ...]) -> re.Pattern[str]:
    return re.compile("[" + "".join(f"\\U{a:08x}" + (f"-\\U{b:08x}" if b > a else "") for a, b in ranges) + "]")


_RE2 = {level: _re2_class(ranges) for level, ranges in TEXT_LEVELS.items()}
_PY = {level: _py_class(ranges) for level, ranges in TEXT_LEVELS.items()}
_NAMES = {0x09: "a tab", 0x0A: "a line feed", 0x0D: "a carriage return", 0x00: "a NUL"}


def text_fault(value: str, level: str) -> str | None:
    r"""What is wrong with the characters of ``value`` at ``level``, or None.

    >>> text_fault("c1\u200b", "id")
    'contains an invisible character (U+200B ZERO WIDTH SPACE) at character 3'
    >>> text_fault("c1\u200b", "label") is None
    True
    """
    found = _PY[level].search(value)
    if found is None:
        return None
    code = ord(found.group())
    name = _NAMES[code] if code in _NAMES else unicodedata.name(chr(code), "")
    label = f"U+{code:04X}, {name}" if code in _NAMES else f"U+{code:04X} {name}".rstrip()
    kind = ("an invisible" if _within(code, _INVISIBLE) else "a line-break or tab" if _within(code, _BREAKS)
            else "a control")  # fmt: skip
    return f"contains {kind} character ({label}) at character {found.start() + 1}"


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= code <= b for a, b in ranges)


def clean_text(values: pd.Series, level: str) -> tuple[pd.Series, pd.Series, int]:
    r"""Check and tidy the text cells of one column.

    Returns the values with surrounding whitespace stripped (and, at level ``"id"``, in
    Unicode NFC), the mask of text cells holding a character the level refuses (left as
    they were), and how many cells were stripped.  Cells that are not text pass through.

    >>> values, bad, stripped = clean_text(pd.Series(["c1 ", "c\x002", "Cafe\u0301"], dtype="string[pyarrow]"), "id")
    >>> values.tolist(), bad.tolist(), stripped
    (['c1', 'c\x002', 'Café'], [False, True, False], 1)
    """
    if values.empty:
        return values, pd.Series(False, index=values.index, dtype=bool), 0
    if _is_text(values):
        text, is_text = values, values.notna().to_numpy(dtype=bool)
    else:
        is_text = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        if not is_text.any():
            return values, pd.Series(False, index=values.index, dtype=bool), 0
        text = values[is_text].astype("string[pyarrow]")
    # One pass finds the few cells that need a closer look: any character outside
    # printable ASCII, or a space at either end.
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = pa.array(text.array)
    edged_arrow = pc.or_(pc.invert(pc.ascii_is_printable(arrow)),
                         pc.or_(pc.starts_with(arrow, " "), pc.ends_with(arrow, " ")))
    bad = np.zeros(len(text), dtype=bool)
    stripped = 0
    if pc.any(edged_arrow).as_py():
        edged = pc.fill_null(edged_arrow, False).to_numpy(zero_copy_only=False)
        text = text.copy()
        look = text[edged]
        faulty = look.str.contains(_RE2[level]).fillna(False).to_numpy(dtype=bool)
        bad[np.flatnonzero(edged)[faulty]] = True
        fine = look[~faulty]
        tidy = fine.str.strip()
        stripped = int(((tidy != fine) & (tidy != "")).fillna(False).sum())  # a blank cell is missing, not stripped
        if level == "id":
            tidy = tidy.str.normalize("NFC")
        text[fine.index] = tidy
    if _is_text(values):
        out = text
    else:
        out = values.copy()
        out[is_text] = text.astype(object).to_numpy()
    full = np.zeros(len(values), dtype=bool)
    full[np.flatnonzero(is_text)] = bad
    return out, pd.Series(full, index=values.index), stripped

_ARROW_TEXT = "string[pyarrow]"
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
        # Every cell mapped (a missing one to False), so an all-missing chunk stays boolean.
        blanks = values.map(lambda v: isinstance(v, str) and not v.strip())
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
    # Exact 64-bit integers, never through float64, which rounds above 2**53.
    digits = text.where(ok).astype(_ARROW_TEXT).str.replace(r"\.0*$", "", regex=True).str.lstrip("+")
    arrow = pa.array(digits, type=pa.string(), from_pandas=True)
    try:
        ints = pc.cast(arrow, pa.int64())
    except pa.ArrowInvalid:  # some value overflows 64 bits: find which, one by one
        ints = pa.array([None if d is None or not -(2**63) <= int(d) < 2**63 else int(d) for d in arrow.to_pylist()],
                        type=pa.int64())
    numbers = ints.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get).set_axis(values.index)
    ok &= numbers.notna()
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


def arrow_type_problem(prop: Property, arrow_type: pa.DataType) -> tuple[str | None, str | None]:
    """Whether a Parquet column of ``arrow_type`` may hold ``prop``: ``(problem, warning)``.

    Integers take any Arrow integer type, or a floating one with a warning (pandas writes
    an integer column with nulls as floats; a value with a fraction is then refused per
    row); floats take integers or floats; text properties (strings, ids, enums, dates)
    only strings (dates also Arrow dates and timestamps); nothing is converted from text.

    >>> import pyarrow as pa
    >>> arrow_type_problem(Property("n", "integer"), pa.string())[0]
    'has type string, but n holds an integer: write it as an Arrow integer type (types are never converted)'
    >>> arrow_type_problem(Property("n", "integer"), pa.float64())[1]
    'is double in Parquet; its whole-number values are read as integers'
    """
    import pyarrow as pa

    t = arrow_type
    if isinstance(t, pa.DictionaryType):
        t = t.value_type
    if pa.types.is_null(t):
        return None, None
    text = pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)
    lists = (pa.types.is_list(t) or pa.types.is_large_list(t)) and (
        pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type) or pa.types.is_null(t.value_type))
    ok = {
        "string": text, "enum": text, "enum_list": text or lists,
        "date": text or pa.types.is_date(t) or pa.types.is_timestamp(t),
        "integer": pa.types.is_integer(t) or pa.types.is_floating(t),
        "float": pa.types.is_integer(t) or pa.types.is_floating(t),
        "boolean": pa.types.is_boolean(t),
    }[prop.type]  # fmt: skip
    if not ok:
        want = {"string": "a string type", "enum": "a string type", "enum_list": "a list of strings",
                "date": "a date or a YYYY-MM-DD string", "integer": "an Arrow integer type",
                "float": "an Arrow number type", "boolean": "the boolean type"}[prop.type]  # fmt: skip
        what = "text" if prop.type in ("string", "enum", "enum_list") else expected(prop).split(" >=")[0]
        return f"has type {t}, but {prop.name} holds {what}: write it as {want} (types are never converted)", None
    if prop.type == "integer" and pa.types.is_floating(t):
        return None, f"is {t} in Parquet; its whole-number values are read as integers"
    return None, None


def convert(prop: Property, values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Typed values and the mask of invalid cells for the non-missing ``values``.

    >>> from graphkit.model import Property
    >>> typed, bad = convert(Property("n", "integer", minimum=0), pd.Series(["3", "x", "-1"], dtype=object))
    >>> typed.tolist()[:1], bad.tolist()
    ([3], [False, True, True])
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
