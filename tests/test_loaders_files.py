"""Files and types: a kind's path must be a readable file, a 0-byte file means no rows,
and Parquet columns must have the model's types."""

from __future__ import annotations

import os

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import loaders
from graphkit import LoaderError
from tests.conftest import VALID, write_dataset


def dataset(tmp_path, drop=(), **files):
    kept = {k: v for k, v in VALID.items() if k not in drop}
    return write_dataset(tmp_path / "d", {**kept, **{k.replace("__", "."): v for k, v in files.items()}})


def problems(folder, pseudonymiser, **kw):
    with pytest.raises(LoaderError) as info:
        loaders.read_dataset(folder, pseudonymise=pseudonymiser, **kw)
    return info.value.problems


def _folder(path):
    path.mkdir()
    (path / "part-0.csv").write_text(VALID["creators.csv"])


@pytest.mark.parametrize("make, fragment", [
    (_folder, "a folder, not a file"),
    (lambda p: p.symlink_to(p.parent / "gone.csv"), "a symbolic link to"),
    (lambda p: p.symlink_to(p), "a symbolic link that loops"),
    (lambda p: os.mkfifo(p), "not a regular file"),
], ids=["folder", "dangling-link", "link-loop", "fifo"])
@pytest.mark.parametrize("on_error", ["fail", "skip"])
def test_a_kinds_path_that_is_not_a_file_is_refused_by_name(tmp_path, pseudonymiser, make, fragment, on_error):
    folder = dataset(tmp_path, drop=("creators.csv",))
    make(folder / "creators.csv")
    found = problems(folder, pseudonymiser, on_error=on_error)
    assert [(p.file, p.line) for p in found] == [("creators.csv", None)]
    assert fragment in found[0].message


def test_a_file_named_like_a_kind_but_for_case_gets_a_hint(tmp_path, pseudonymiser):
    folder = dataset(tmp_path, drop=("collaborates_with.csv",), Collaborates_With__csv="source_id,target_id\n")
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser)
    assert "ignored files the model does not know: Collaborates_With.csv (did you mean collaborates_with.csv?)" \
        in data.warnings


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
@pytest.mark.parametrize("store", ["empty", "populated"])
def test_a_zero_byte_file_means_no_rows_with_a_warning(tmp_path, pseudonymiser, fmt, store):
    folder = dataset(tmp_path, drop=("partners_with.csv",), **{f"partners_with__{fmt}": b""})
    existing = {"Creator": {"c9"}, "Institution": {"i9"}} if store == "populated" else None
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser, existing=existing)
    assert data.counts()["PARTNERS_WITH"] == 0
    assert f"partners_with.{fmt} is empty: read as no PARTNERS_WITH rows" in data.warnings


def _parquet(folder, name, columns: dict, schema=None):
    (folder / f"{name}.csv").unlink(missing_ok=True)
    pq.write_table(pa.table(columns, schema=schema), folder / f"{name}.parquet")


@pytest.mark.parametrize("arrow_type", [pa.int8(), pa.int32(), pa.uint16(), pa.int64()])
def test_parquet_integers_take_any_arrow_integer_type(tmp_path, pseudonymiser, arrow_type):
    folder = dataset(tmp_path)
    _parquet(folder, "topics", {"id": ["t0", "t1"], "name": ["S", "P"], "level": pa.array([0, 1], arrow_type)})
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser)
    assert data.nodes["Topic"]["level"].tolist() == [0, 1] and not data.warnings


def test_parquet_float_column_for_an_integer_warns_and_refuses_fractions(tmp_path, pseudonymiser):
    folder = dataset(tmp_path)
    _parquet(folder, "topics", {"id": ["t0", "t1", "t2"], "name": ["S", "P", "C"], "level": [0.0, None, 1.5]})
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser, on_error="skip")
    assert "topics.parquet: column level is double in Parquet; its whole-number values are read as integers" \
        in data.warnings
    assert data.nodes["Topic"]["id"].tolist() == ["t0", "t1"]
    assert [(r.line, r.column) for r in data.rejects.itertuples() if r.file == "topics.parquet"] == [(3, "level")]


@pytest.mark.parametrize("column, values, fragment", [
    ("level", pa.array(["0", "1"]), "has type string, but level holds an integer"),
    ("id", pa.array([0, 1]), "has type int64, but id holds text"),
    ("name", pa.array([True, False]), "has type bool, but name holds text"),
    ("level", pa.array([True, False]), "has type bool, but level holds an integer"),
])
@pytest.mark.parametrize("on_error", ["fail", "skip"])
def test_a_parquet_column_of_the_wrong_type_is_refused_by_name(tmp_path, pseudonymiser, column, values, fragment,
                                                               on_error):
    folder = dataset(tmp_path)
    columns = {"id": pa.array(["t0", "t1"]), "name": pa.array(["S", "P"]), "level": pa.array([0, 1])}
    _parquet(folder, "topics", {**columns, column: values})
    found = problems(folder, pseudonymiser, on_error=on_error)
    assert [(p.file, p.line, p.column) for p in found] == [("topics.parquet", None, column)]
    assert fragment in found[0].message and "never converted" in found[0].message


def test_parquet_dates_take_dates_midnight_timestamps_and_iso_strings(tmp_path, pseudonymiser):
    folder = dataset(tmp_path)
    frame = pd.read_csv(folder / "creators.csv", dtype=str, keep_default_na=False)
    for joined in (pa.array([pd.Timestamp("2018-05-01").date(), None], pa.date32()),
                   pa.array([pd.Timestamp("2018-05-01"), None], pa.timestamp("ms")),
                   pa.array(["2018-05-01", None])):
        _parquet(folder, "creators", {"id": frame["id"].tolist(), "name": frame["name"].tolist(), "joined": joined})
        data = loaders.read_dataset(folder, pseudonymise=pseudonymiser)
        assert data.nodes["Creator"]["joined"].tolist()[0] == "2018-05-01"
    _parquet(folder, "creators", {"id": frame["id"].tolist(), "name": frame["name"].tolist(),
                                  "joined": pa.array([pd.Timestamp("2018-05-01 10:30"), None], pa.timestamp("ms"))})
    [found] = problems(folder, pseudonymiser)
    assert (found.line, found.column) == (1, "joined") and "2018-05-01 10:30:00" in found.message


def test_parquet_dictionary_strings_and_string_lists_are_text(tmp_path, pseudonymiser):
    folder = dataset(tmp_path)
    _parquet(folder, "creators", {"id": pa.array(["c1", "c2"]).dictionary_encode(), "name": ["A", "B"],
                                  "income_streams": pa.array([["advertising"], []], pa.list_(pa.string()))})
    data = loaders.read_dataset(folder, pseudonymise=pseudonymiser)
    assert data.nodes["Creator"]["income_streams"].tolist() == [["advertising"], []]
