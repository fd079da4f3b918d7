"""Skip mode loses no line: properties over many generated malformed files.

For every generated CSV and JSON Lines file, each non-blank physical line after the header
lies in exactly one row read or one problem (a record spanning lines 5-7 covers all three),
or the whole file is refused with a file-level problem; and in skip mode every row read is
either loaded or listed as a reject.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loaders
from graphkit import LoaderError
from loaders.files import _read_careful_csv, _read_simple_csv, read_table

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER = "id,name,followers"
WORD = st.text(alphabet="ab XY9é李,;", max_size=5)
FIELD = st.one_of(
    WORD.map(lambda w: w.replace(",", "")),  # plain
    WORD.map(lambda w: f'"{w}"'),  # quoted
    WORD.map(lambda w: f'"{w}""{w}"'),  # quoted with a doubled quote
    st.tuples(WORD, WORD).map(lambda p: f'"{p[0]}\n{p[1]}"'),  # a quoted line break
    WORD.map(lambda w: f'"{w}'),  # a quote that opens and may never close
    WORD.map(lambda w: f'{w}"{w}'),  # a quote inside an unquoted field
    WORD.map(lambda w: f'"{w}"{w}x'),  # text after a closing quote
    st.just("a\x00b"),  # NUL
    st.just(""),
)
LINE = st.one_of(
    st.lists(FIELD, min_size=1, max_size=5).map(",".join),
    st.lists(WORD.map(lambda w: w.replace(",", "")), min_size=3, max_size=3).map(",".join),  # well formed
    st.sampled_from(["", "   ", "\t"]),  # blank
)
ENDING = st.sampled_from(["\n", "\r\n"])


def physical_lines(text: str) -> list[str]:
    return io.StringIO(text, newline="").readlines()


def spans(table) -> list[tuple[int, int]]:
    """The lines each row read and each row problem covers."""
    out = list(zip(table.lines.tolist(), table.ends.tolist()))
    for p in table.problems:
        found = re.search(r"lines (\d+)-(\d+)", p.message)
        out.append((int(found[1]), int(found[2])) if found else (p.line, p.line))
    return out


def assert_partition(table, text: str, first_data_line: int) -> None:
    if table.unreadable:  # the file-level alternative: one reason, located where it can be
        assert len(table.problems) == 1 and table.frame.empty
        return
    covered: list[int] = []
    for start, end in spans(table):
        assert first_data_line <= start <= end, (start, end)
        covered.extend(range(start, end + 1))
    assert len(covered) == len(set(covered)), "a line is in two rows or problems"
    nonblank = {n for n, line in enumerate(physical_lines(text), start=1)
                if n >= first_data_line and line.strip(" \t\r\n")}
    assert nonblank <= set(covered), f"lines lost silently: {sorted(nonblank - set(covered))}"


@st.composite
def csv_files(draw) -> str:
    lines = draw(st.lists(st.tuples(LINE, ENDING), max_size=12))
    return HEADER + "\n" + "".join(line + end for line, end in lines)


@SETTINGS
@given(text=csv_files())
def test_every_csv_line_is_in_one_row_or_one_problem(tmp_path_factory, text):
    path = tmp_path_factory.getbasetemp() / "creators.csv"
    path.write_bytes(text.encode("utf-8"))
    assert_partition(read_table(path), text, first_data_line=2)


JSON_LINE = st.one_of(
    st.fixed_dictionaries({"id": WORD, "name": WORD}).map(lambda d: pd.io.json.ujson_dumps(d, ensure_ascii=False)),
    st.sampled_from(['{"id": "a", "name": "line\u2028separator"}', '{"id": "a", "id": "b"}', '{"id": NaN}',
                     '[1, 2]', '"text"', '{"id": "a",', "", "  ", "{\"id\": \"a\\u0000\"}", "nul\x00"]),
)


@SETTINGS
@given(lines=st.lists(st.tuples(JSON_LINE, ENDING), max_size=12))
def test_every_json_line_is_one_row_or_one_problem(tmp_path_factory, lines):
    text = "".join(line + end for line, end in lines)
    path = tmp_path_factory.getbasetemp() / "creators.jsonl"
    path.write_bytes(text.encode("utf-8"))
    table = read_table(path)
    assert not table.unreadable
    assert (table.ends == table.lines).all()
    assert_partition(table, text, first_data_line=1)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=csv_files())
def test_skip_mode_loads_or_rejects_every_row_read(tmp_path_factory, text):
    folder = tmp_path_factory.getbasetemp() / "skip"
    folder.mkdir(exist_ok=True)
    (folder / "creators.csv").write_bytes(text.encode("utf-8"))
    table = read_table(folder / "creators.csv")
    try:
        data = loaders.read_dataset(folder, pseudonymise=lambda ids: ids, on_error="skip")
    except LoaderError as err:  # only a file-level problem stops a skipping load
        assert table.unreadable and [p.file for p in err.problems] == ["creators.csv"]
        return
    rejected = set(data.rejects.loc[data.rejects["file"] == "creators.csv", "line"])
    read = set(table.lines.tolist()) | {p.line for p in table.problems}
    assert rejected <= read
    assert len(data.nodes["Creator"]) == sum(1 for line in table.lines.tolist() if line not in rejected)


SIMPLE = st.lists(st.text(alphabet="ab ,9é\t\x0b", max_size=8), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(header=st.sampled_from(["id,name", " id , name ", "id,name,x", "a,,b"]), lines=SIMPLE,
       end=st.sampled_from(["", "\n"]))
def test_the_fast_csv_path_gives_what_the_careful_path_gives(header, lines, end):
    text = header + "\n" + "\n".join(lines) + end
    fast = _read_simple_csv("t.csv", text)
    if fast is None:
        return
    careful = _read_careful_csv("t.csv", text)
    assert list(fast.frame.columns) == list(careful.frame.columns)
    assert fast.frame.astype(object).values.tolist() == careful.frame.astype(object).values.tolist()
    assert fast.lines.tolist() == careful.lines.tolist() and fast.ends.tolist() == careful.ends.tolist()
    assert (fast.problems, fast.warnings, fast.unreadable) == (careful.problems, careful.warnings, careful.unreadable)


@pytest.mark.parametrize("text", ['id,name\nc1,A\nc2,"B\nc3,C\n', 'id,name\nc1,A\n"c2,B\r\nc3,C\r\n'])
def test_generated_example_of_the_reported_loss_is_file_level(tmp_path, text):
    path = tmp_path / "creators.csv"
    path.write_text(text, encoding="utf-8")
    table = read_table(path)
    assert table.unreadable and table.problems[0].line == 3
