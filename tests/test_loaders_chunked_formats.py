"""JSON Lines, Parquet and quoted or GB18030 CSV read a chunk at a time: the same rows, lines,
problems, warnings and encoding as the whole-file read, at chunk sizes of a few bytes (every
row alone, cuts inside quoted fields, multi-byte characters and line ends) and in one chunk.

The reference is :func:`read_table`, which reads the file whole.  ``chunked`` also checks
that the chunked path ran (not the whole read sliced) wherever the file is not refused.
"""

from __future__ import annotations

import codecs
import csv
import io
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import loaders
import loaders.chunks as chunks
from loaders.chunks import iter_table
from loaders.files import read_table
from tests.test_loaders_streaming import assert_same, outcome

SIZES = (7, 29, 61, 1 << 30)


def chunks_of(path, chunk_bytes, encoding=None):
    return list(iter_table(path, encoding, chunk_bytes))


def assert_chunks_read_as_whole(path, encoding=None, streamed=True, monkeypatch=None):
    """Every chunk size gives the whole read; with ``streamed``, without calling the whole read."""
    whole = read_table(path, encoding)
    if streamed and monkeypatch is not None:
        monkeypatch.setattr(chunks, "read_table", lambda *a: pytest.fail("read whole, not in chunks"))
    for size in SIZES:
        parts = chunks_of(path, size, encoding)
        assert parts, size
        first = parts[0]
        assert first.warnings == whole.warnings, size
        assert all(p.warnings == [] for p in parts[1:]), size
        assert [p for part in parts for p in part.problems] == whole.problems, size
        assert {p.unreadable for p in parts} == {whole.unreadable}, size
        assert first.empty == whole.empty and {p.encoding for p in parts} == {whole.encoding}, size
        assert np.concatenate([p.lines for p in parts]).tolist() == whole.lines.tolist(), size
        assert np.concatenate([p.ends for p in parts]).tolist() == whole.ends.tolist(), size
        frame = pd.concat([p.frame for p in parts], ignore_index=True) if len(parts) > 1 else first.frame
        assert list(frame.columns) == list(whole.frame.columns), size
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), whole.frame, check_index_type=False)
        assert all(p.arrow_types == whole.arrow_types for p in parts), size
        reads = [p.read_bytes for p in parts]
        assert reads == sorted(reads) and reads[-1] == path.stat().st_size, size
        if streamed and size == 7 and len(whole.frame) > 2:
            assert len(parts) >= 2, "several chunks at 7 bytes"
    if monkeypatch is not None:
        monkeypatch.undo()
    return whole


def write(tmp_path, name, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


# --- JSON Lines --------------------------------------------------------------------------------------------

GOOD_JSONL = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [
    {"id": "c1", "name": "物理实验室", "followers": 4000000},
    {"id": "c2", "name": "Dr. 李", "followers": None, "tags": ["a", "b"]},
    {"id": "c3", "name": "X", "followers": 12, "nested": {"k": 1}},
    {"id": "c4", "followers": 2**60},
    {"late": True, "id": "c5"},
])

JSONL = {
    "good": GOOD_JSONL,
    "bad JSON mid-file": GOOD_JSONL + '{"id": "c6", "name": \n{"id": "c7"}\n[1, 2]\n"text"\n{"id": "c8", "x": NaN}\n'
                         + '{"id": "c9"}\n',
    "duplicate keys": '{"id": "c1"}\n{"id": "c2", "id": "c3"}\n{"a": {"b": 1, "b": 2}, "id": "c4"}\n{"id": "c5"}\n',
    "a key only in a refused record, then in a good one": '{"id": "c1"}\n{"id": "c2", "z": 1, "z": 2}\n'
                                                          '{"y": 1}\n{"z": 3, "id": "c3"}\n',
    "blank lines": '\n  \n{"id": "c1"}\n\n\t\n{"id": "c2"}\n\n\n{"id": "c3"}\n   ',
    "CRLF and lone CR": '{"id": "c1"}\r\n{"id": "c2"}\r{"id": "c3"}\r\n\r\n{"id": "c4", "bad": }\r{"id": "c5"}\r',
    "no final line feed": '{"id": "c1"}\n{"id": "c2"}',
    "keys with whitespace": '{" id": "c1", "name ": "A"}\n{" id": "c2", "other": 1}\n',
    "keys that differ only by whitespace": '{"id": "c1"}\n{"id": "c2"}\n{"id ": "c3"}\n',
    "only blank lines": "\n\n  \n",
    "only bad lines": "[1]\n{bad\n2\n",
}


@pytest.mark.parametrize("case", sorted(JSONL))
def test_json_lines_in_chunks_read_as_the_whole_file(tmp_path, monkeypatch, case):
    path = write(tmp_path, "creators.jsonl", JSONL[case])
    whole = assert_chunks_read_as_whole(path, monkeypatch=monkeypatch)
    assert whole.encoding == "utf-8"


def test_json_lines_problems_name_the_whole_files_lines(tmp_path):
    whole = assert_chunks_read_as_whole(write(tmp_path, "creators.jsonl", JSONL["bad JSON mid-file"]))
    assert [(p.line, p.message) for p in whole.problems] == [
        (6, "malformed JSON: Expecting value at character 1"), (8, "expected a JSON object, found list"),
        (9, "expected a JSON object, found str"), (10, "malformed JSON: NaN is not a JSON value")]
    dupes = read_table(write(tmp_path, "t.jsonl", JSONL["duplicate keys"]))
    assert [(p.line, p.message) for p in dupes.problems] == [
        (2, "malformed JSON: key 'id' appears twice in one object"),
        (3, "malformed JSON: key 'b' appears twice in one object")]
    late = read_table(write(tmp_path, "u.jsonl", JSONL["a key only in a refused record, then in a good one"]))
    assert list(late.frame.columns) == ["id", "y", "z"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_json_lines_with_a_byte_order_mark_or_in_gb18030(tmp_path, monkeypatch, encoding):
    path = write(tmp_path, "creators.jsonl", GOOD_JSONL.encode(encoding))
    whole = assert_chunks_read_as_whole(path, monkeypatch=monkeypatch)
    assert whole.encoding == encoding and whole.frame["name"].tolist()[:2] == ["物理实验室", "Dr. 李"]
    monkeypatch.undo()
    forced = assert_chunks_read_as_whole(path, "gb18030" if encoding == "gb18030" else "utf-8",
                                         monkeypatch=monkeypatch)
    assert forced.encoding in ("gb18030", "utf-8")


def test_json_lines_that_do_not_decode_are_refused_as_a_whole_read_refuses_them(tmp_path):
    mixed = write(tmp_path, "a.jsonl", '{"id": "名"}\n'.encode() + '{"id": "李"}\n'.encode("gb18030"))
    bad_bom = write(tmp_path, "b.jsonl", codecs.BOM_UTF8 + b'{"id": "c1"}\n{"id": "\xc0"}\n')
    utf16 = write(tmp_path, "c.jsonl", '{"id": "c1"}\n'.encode("utf-16"))
    for path in (mixed, bad_bom, utf16):
        whole = assert_chunks_read_as_whole(path, streamed=False)
        assert whole.unreadable
    assert read_table(bad_bom).problems[0].line == 2  # the fault's line, counted from the mark
    assert_chunks_read_as_whole(mixed, "no-such-codec", streamed=False)


# --- CSV ---------------------------------------------------------------------------------------------------

def quoted_csv(rows: int = 40) -> str:
    """A QUOTE_ALL file whose quoted fields hold line feeds, commas and doubled quotes at many offsets."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["id", "name", "note"])
    for i in range(rows):
        note = "x" * (i % 13) + ("\n" if i % 2 else ",") + "y" * (i % 7) + ('"' if i % 3 == 0 else "") + ",\n"[i % 2]
        writer.writerow([f"c{i}", f"名{i}" if i % 5 == 0 else f"n{i}", note])
    return out.getvalue()


def test_the_quoted_file_puts_a_quoted_line_feed_and_comma_at_every_small_chunk_boundary():
    text = quoted_csv()
    inside, quoted = [], False
    for pos, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif quoted and ch in ",\n":
            inside.append((pos, ch))
    for size in SIZES[:-1]:
        at = {ch for pos, ch in inside if (pos + 1) % size == 0 or pos % size == 0}
        assert at == {",", "\n"}, size


CSV = {
    "quoted fields over lines": quoted_csv(),
    "doubled quotes": 'id,name\nc1,"say ""hi"""\nc2,""""\nc3,"a,""b"",c"\n',
    "CRLF": "id,name\r\nc1,A\r\nc2,\"B\r\nstill B\"\r\n\r\nc3,C\r\nc4\r\n",
    "lone CR": "id,name\rc1,A\rc2,\"B\rB\"\rc3,C\r",
    "blank lines before the header": '\n\n  \nid,name\nc1,"A"\n\nc2,B\n',
    "a header over two lines": 'id,"na\nme"\nc1,A\nc2,"B\nB"\n',
    "ragged rows and text after a closing quote": 'id,name\nc1,"A"x\nc2,B,extra\nc3,"C\nC"z,q\nc4,D\nc5\nc6,"F"\n',
    "ragged multi-line records": 'id,name\nc1,"A\nA",x\nc2,"B\nB"\nc3,C\n',
    "a quote inside an unquoted field": 'id,name\nc1,a"b\nc2,"x\ny"\nc3,c"\n',
    "stripped header cells": ' id ,name\nc1,"A"\nc2,B\n',
    "no final line end": 'id,name\nc1,"A\nB"\nc2,B',
    "header only": 'id,"name"\n',
    "only blank lines": "\n \n\n",
    "more than three records over lines": "id,name\n" + "".join(f'c{i},"{i}\n{i}"\n' for i in range(6)),
}


@pytest.mark.parametrize("case", sorted(CSV))
def test_quoted_csv_in_chunks_reads_as_the_whole_file(tmp_path, monkeypatch, case):
    path = write(tmp_path, "creators.csv", CSV[case])
    assert_chunks_read_as_whole(path, monkeypatch=monkeypatch)


def test_quoted_csv_chunks_keep_lines_spans_and_problems(tmp_path):
    whole = assert_chunks_read_as_whole(write(tmp_path, "creators.csv", CSV["ragged rows and text after a closing quote"]))
    assert [(p.line, p.column) for p in whole.problems] == [(2, "name"), (3, None), (4, "name"), (7, None)]
    assert whole.lines.tolist() == [6, 8]
    spans = read_table(write(tmp_path, "t.csv", CSV["more than three records over lines"]))
    assert spans.warnings == ["t.csv: 6 records with a quoted line break span several lines (lines 2-3, 4-5, 6-7, ...)"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
@pytest.mark.parametrize("case", ["quoted fields over lines", "CRLF", "doubled quotes"])
def test_gb18030_and_byte_order_marked_csv_in_chunks(tmp_path, monkeypatch, case, encoding):
    text = CSV[case].replace("c1,", "李1,") if encoding == "gb18030" else CSV[case]
    path = write(tmp_path, "creators.csv", text.encode(encoding))
    whole = assert_chunks_read_as_whole(path, monkeypatch=monkeypatch)
    assert whole.encoding == encoding
    monkeypatch.undo()
    assert_chunks_read_as_whole(path, encoding, monkeypatch=monkeypatch)


def test_a_simple_utf8_csv_with_a_forced_encoding_reads_in_chunks(tmp_path, monkeypatch):
    path = write(tmp_path, "creators.csv", "id,name\n" + "".join(f"c{i},名{i}\n" for i in range(30)))
    assert_chunks_read_as_whole(path, "utf-8", monkeypatch=monkeypatch)


@pytest.mark.parametrize("content", [
    'id,name\nc1,A\nc2,"never closed\nc3,C\n',  # a quote that never closes
    'id,id\nc1,"A"\n',  # a column named twice
    '"id,name\nc1,A\n',  # a header whose quote never closes
    "id,name\nc1,名\n".encode() + 'c2,"李"\n'.encode("gb18030"),  # two encodings
])
def test_csv_files_refused_whole_are_refused_alike(tmp_path, content):
    path = write(tmp_path, "creators.csv", content)
    assert assert_chunks_read_as_whole(path, streamed=False).unreadable


# --- Parquet -----------------------------------------------------------------------------------------------

def parquet_table(rows: int = 23) -> pa.Table:
    base = pd.Timestamp("2024-01-01")
    return pa.table({
        "id": [f"c{i}" for i in range(rows)],
        "followers": pa.array([None if i % 4 == 0 else i * 1000 for i in range(rows)], type=pa.int64()),
        "score": [None if i % 5 == 0 else i / 3 for i in range(rows)],
        "tags": [None if i % 6 == 0 else [f"t{j}" for j in range(i % 3)] for i in range(rows)],
        "joined": pa.array([base + pd.Timedelta(days=i) for i in range(rows)], type=pa.timestamp("ms")),
        # midnight everywhere but the last row group: the whole file reads as text
        "seen": pa.array([base + pd.Timedelta(days=i, hours=int(i == rows - 1)) for i in range(rows)],
                         type=pa.timestamp("us")),
        "day": pa.array([(base + pd.Timedelta(days=i)).date() for i in range(rows)], type=pa.date32()),
        " name ": [None if i % 7 == 0 else f"名{i}" for i in range(rows)],
        "active": [bool(i % 2) for i in range(rows)],
    })


@pytest.mark.parametrize("group", [1, 4, 10, 1000])
def test_parquet_in_record_batches_reads_as_the_whole_file(tmp_path, monkeypatch, group):
    path = tmp_path / "creators.parquet"
    pq.write_table(parquet_table(), path, row_group_size=group)
    assert pq.ParquetFile(path).metadata.num_row_groups == -(-23 // group)
    whole = assert_chunks_read_as_whole(path, monkeypatch=monkeypatch)
    assert whole.frame["seen"].iloc[0].startswith("2024-01-01 00:00:00") and whole.frame["joined"].iloc[0] == "2024-01-01"
    assert whole.warnings == ["creators.parquet: stripped surrounding whitespace from 1 column name: ' name '"]


def test_an_empty_parquet_table_and_a_refused_one(tmp_path, monkeypatch):
    empty = tmp_path / "a.parquet"
    pq.write_table(parquet_table().slice(0, 0), empty)
    assert len(assert_chunks_read_as_whole(empty, monkeypatch=monkeypatch).frame) == 0
    twice = tmp_path / "b.parquet"
    pq.write_table(pa.table({"id": ["c1"], "id ": ["c2"]}), twice)
    assert assert_chunks_read_as_whole(twice, streamed=False).unreadable
    broken = write(tmp_path, "c.parquet", b"PAR1 not really")
    assert assert_chunks_read_as_whole(broken, streamed=False).unreadable


# --- whole datasets ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "csv-quoted", "csv-gb18030"])
def test_a_generated_dataset_streams_as_it_reads_whole(tmp_path, pseudonymiser, fmt):
    folder = tmp_path / "data"
    loaders.generate(30, 3, folder, format=fmt.split("-")[0])
    if fmt.startswith("csv"):
        for path in folder.glob("*.csv"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            if fmt == "csv-quoted":
                frame.to_csv(path, index=False, quoting=csv.QUOTE_ALL)
            else:
                path.write_bytes(frame.to_csv(index=False, lineterminator="\r\n").encode("gb18030"))
    want = outcome(loaders.read_dataset, folder, pseudonymiser, 1 << 30, "fail")
    assert not isinstance(want, str) and sum(want[2].values()) > 1000
    for chunk in (4096, 65536):
        assert_same(outcome(loaders.stream_dataset, folder, pseudonymiser, chunk, "fail"), want)
    assert_same(outcome(loaders.read_dataset, folder, pseudonymiser, 997, "fail"), want)
