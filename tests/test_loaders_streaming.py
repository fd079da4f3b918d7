"""Validation a chunk at a time and the streamed dataset: the same problems, rejects, warnings and
rows as reading each file whole, at any chunk size, and a load that writes what a whole read does.

The reference is the one-chunk read (``chunk_bytes`` larger than every file), which is how
``read_dataset`` read files before it read them in chunks; chunk sizes of a few bytes put
every row in a chunk of its own, so duplicates, first lines and rejected ends are found
across chunks.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

import loaders
from graphkit import EmbeddedStore, LoaderError
from loaders.chunks import iter_table
from loaders.files import read_table
from tests.conftest import VALID, write_dataset

WHOLE = 1 << 30  # every file in one chunk
SMALL = (7, 29, 61)

BAD = {
    "duplicates far apart": {"creators.csv": "id,name\nc1,A\nc2,B\nc3,C\nc1,D\nc2,E\n"},
    "duplicate after a bad row of the same id": {"creators.csv": "id,name,followers\nc1,A,x\nc2,B,1\nc1,C,2\n"},
    "ends and loops": {"publishes_on.csv": "source_id,target_id,videos,views\nc1,t9,1,1\nc2,i1,0,0\nc1,t1,1,1\n"
                                           "c1,t1,2,2\n", "subtopic_of.csv": "source_id,target_id\nt1,t1\nt2,t1\n"},
    "bad viewer ends": {"follows.csv": "source_id,target_id\nnobody,c1\nraw-viewer-1,c2\nraw-viewer-1,c2\n"},
    "stripped cells in several chunks": {"topics.csv": "id,name\n t1,Physics\nt2 ,Maths\nt3, Art \n",
                                         "subtopic_of.csv": "source_id,target_id\nt2,t1\n"},
    "ragged and blank lines": {"creators.csv": "id,name\nc1,A\n\nc2,B,extra\n\n\nc3\nc2,B\n"},
    "renamed and unknown columns": {"institutions.csv": "id,name,kind,colour\ni1,IOP,research_institute,red\n"
                                                        "i2,X,bank,blue\n"},
    "missing required column": {"creators.csv": "id,followers\nc1,1\nc2,x,3\n"},
    "quoted record over two lines": {"creators.csv": 'id,name\nc1,"A\nstill A"\nc2,B,x\nc1,Z\n'},
}


def folder_with(tmp_path, changes):
    files = {**VALID}
    files.update(changes)
    return write_dataset(tmp_path / "data", files)


def outcome(read, folder, pseudonymiser, chunk_bytes, on_error):
    """The error text, or the rejects, warnings and good rows by kind."""
    try:
        data = read(folder, pseudonymise=pseudonymiser, on_error=on_error, chunk_bytes=chunk_bytes)
    except LoaderError as exc:
        return str(exc)
    if isinstance(data, loaders.StreamedDataset):
        parts: dict[str, list[pd.DataFrame]] = {}
        for name, frame in data.frames():
            parts.setdefault(name, []).append(frame)
        frames = {k: pd.concat(v, ignore_index=True) for k, v in parts.items()}
    else:
        frames = {k: f for k, f in {**data.nodes, **data.relationships}.items() if len(f)}
    return data.rejects, data.warnings, data.counts(), frames


def assert_same(got, want):
    if isinstance(want, str):
        assert got == want
        return
    assert isinstance(got, tuple), got
    pd.testing.assert_frame_equal(got[0], want[0])
    assert got[1:3] == want[1:3]
    assert sorted(got[3]) == sorted(want[3])
    for name, frame in want[3].items():
        pd.testing.assert_frame_equal(got[3][name], frame, check_dtype=False)


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("on_error", ["fail", "skip"])
def test_problems_rejects_and_rows_do_not_depend_on_the_chunk_size(tmp_path, pseudonymiser, case, on_error):
    folder = folder_with(tmp_path, BAD[case])
    want = outcome(loaders.read_dataset, folder, pseudonymiser, WHOLE, on_error)
    for chunk in SMALL:
        assert_same(outcome(loaders.read_dataset, folder, pseudonymiser, chunk, on_error), want)
        assert_same(outcome(loaders.stream_dataset, folder, pseudonymiser, chunk, on_error), want)


def test_a_duplicate_in_a_later_chunk_names_the_first_line_and_is_rejected(tmp_path, pseudonymiser):
    rows = "".join(f"c{i},Creator {i}\n" for i in range(1, 200))
    folder = write_dataset(tmp_path / "d", {"creators.csv": "id,name\n" + rows + "c7,Again\n"})
    data = loaders.stream_dataset(folder, pseudonymise=pseudonymiser, on_error="skip", chunk_bytes=64)
    assert data.rejects.to_dict("records") == [
        {"file": "creators.csv", "line": 201, "column": "id", "reason": "duplicate Creator id; first on line 8"}]
    written = pd.concat([f for _, f in data.frames()], ignore_index=True)
    assert len(written) == data.counts()["Creator"] == 199 and written["id"].is_unique


def test_chunks_of_a_csv_keep_the_whole_files_lines_and_problems(tmp_path):
    path = tmp_path / "creators.csv"
    path.write_text("id,name\nc1,A\n\nc2,B,extra\nc3,C\n\n\nc4\nc5,E\n")
    whole = read_table(path)
    for chunk in (1, 5, 9, 1000):
        parts = list(iter_table(path, chunk_bytes=chunk))
        assert np.concatenate([p.lines for p in parts]).tolist() == whole.lines.tolist() == [2, 5, 9]
        assert [p for part in parts for p in part.problems] == whole.problems
        assert pd.concat([p.frame for p in parts], ignore_index=True).equals(whole.frame)


def test_relationships_may_end_at_nodes_the_store_holds_when_streamed(tmp_path, pseudonymiser):
    folder = write_dataset(tmp_path / "d", {"creators.csv": "id,name\nc1,A\n",
                                            "publishes_on.csv": "source_id,target_id,videos,views\nc1,t1,2,9\n"
                                                                "c1,t2,1,1\n"})
    with pytest.raises(LoaderError, match="no Topic with id 't2'"):
        loaders.stream_dataset(folder, pseudonymise=pseudonymiser, existing={"Topic": {"t1"}})
    data = loaders.stream_dataset(folder, pseudonymise=pseudonymiser, existing={"Topic": {"t1", "t2"}})
    assert data.counts()["PUBLISHES_ON"] == 2


def test_a_streamed_load_writes_what_a_whole_load_writes(generated, pseudonymiser):
    whole, streamed = EmbeddedStore(), EmbeddedStore()
    first = whole.load(loaders.read_dataset(generated, pseudonymise=pseudonymiser))
    steps, rows = [], []
    data = loaders.stream_dataset(generated, pseudonymise=pseudonymiser, chunk_bytes=65536)
    second = streamed.load(data, progress=lambda *a: steps.append(a), rows=lambda *a: rows.append(a))
    assert first == second
    assert whole.counts() == streamed.counts() == data.counts()
    for label in ("Creator", "Viewer", "Topic"):
        pd.testing.assert_frame_equal(streamed.nodes(label), whole.nodes(label))
    for rel in ("ENGAGES_WITH", "FOLLOWS", "COLLABORATES_WITH"):
        pd.testing.assert_frame_equal(streamed.relationships(rel), whole.relationships(rel))
    assert [s[0] for s in steps] == list(data.counts()) and rows[-1][1:] == (sum(data.counts().values()),) * 2
    assert streamed.load(loaders.stream_dataset(generated, pseudonymise=pseudonymiser)).unchanged


def _given(folder, pseudonymiser, **options):
    """The rows ``on_chunk`` was given during the first pass, joined by kind, and the dataset."""
    parts: dict[str, list[pd.DataFrame]] = {}
    data = loaders.stream_dataset(folder, pseudonymise=pseudonymiser,
                                  on_chunk=lambda name, frame: parts.setdefault(name, []).append(frame), **options)
    return {k: pd.concat(v, ignore_index=True) for k, v in parts.items()}, data


@pytest.mark.parametrize("chunk_bytes", [16384, WHOLE])
def test_rows_given_during_validation_are_the_second_passs_rows_when_none_is_rejected(generated, pseudonymiser,
                                                                                      chunk_bytes):
    given, data = _given(generated, pseudonymiser, chunk_bytes=chunk_bytes)
    assert len(data.rejects) == 0 and {k: len(f) for k, f in given.items()} == {k: n for k, n in
                                                                                 data.counts().items() if n}
    second: dict[str, list[pd.DataFrame]] = {}
    for name, frame in data.frames():
        second.setdefault(name, []).append(frame)
    assert sorted(given) == sorted(second)
    for name, parts in second.items():
        pd.testing.assert_frame_equal(given[name], pd.concat(parts, ignore_index=True), obj=name)


@pytest.mark.parametrize("chunk_bytes", SMALL)
def test_rows_given_during_validation_leave_out_each_chunks_bad_rows_but_not_later_duplicates(tmp_path, pseudonymiser,
                                                                                              chunk_bytes):
    folder = folder_with(tmp_path, {"creators.csv": "id,name,followers\nc1,A,1\nc2,B,x\nc3,C,3\nc1,D,4\n"})
    given, data = _given(folder, pseudonymiser, on_error="skip", chunk_bytes=chunk_bytes)
    # c2 fails its own chunk's checks; the second c1 is found a duplicate only when the file is done
    assert given["Creator"]["id"].tolist() == ["c1", "c3", "c1"]
    creators = data.rejects[data.rejects["file"] == "creators.csv"]
    assert data.counts()["Creator"] == 2 and creators["line"].tolist() == [3, 5]


def test_nothing_is_given_for_files_after_a_file_level_problem(tmp_path, pseudonymiser):
    folder = folder_with(tmp_path, {"creators.csv": "name\nA\n"})  # no id column: the file is refused
    parts: list[str] = []
    with pytest.raises(LoaderError, match="id"):
        loaders.stream_dataset(folder, pseudonymise=pseudonymiser, on_chunk=lambda name, frame: parts.append(name))
    assert "Creator" not in parts and not any(p in parts for p in ("FOLLOWS", "PUBLISHES_ON", "ENGAGES_WITH"))


def test_the_first_pass_keeps_no_rows(generated, pseudonymiser):
    data = loaders.stream_dataset(generated, pseudonymise=pseudonymiser, chunk_bytes=65536)
    for state in data._files:
        assert state.kept == [] and state.lines.rows == 0 and state.keys == [] and state.ok == []
    index = [state.index for state in data._files if state.index is not None]
    assert index and all(i.hashes.dtype == np.uint64 for i in index)


def test_a_file_changed_after_validation_is_not_written(tmp_path, pseudonymiser):
    folder = write_dataset(tmp_path / "d", {"topics.csv": "id,name\nt1,Physics\n"})
    data = loaders.stream_dataset(folder, pseudonymise=pseudonymiser)
    (folder / "topics.csv").write_text("id,name\nt1,Physics\nt2,Maths\n")
    os.utime(folder / "topics.csv", ns=(1, 1))
    store = EmbeddedStore()
    with pytest.raises(LoaderError, match="topics.csv: changed after it was validated"):
        store.load(data)
    assert store.counts()["Topic"] == 0


def test_validation_progress_says_rate_and_time_left(generated, pseudonymiser):
    lines: list[str] = []
    loaders.stream_dataset(generated, pseudonymise=pseudonymiser, progress=lines.append)
    assert lines and lines[-1].startswith("validated: ") and " MB (100%), " in lines[-1] and "MB/s" in lines[-1]


@pytest.mark.neo4j
def test_a_streamed_load_into_neo4j_gives_the_embedded_stores_rows(neo4j_store, generated, pseudonymiser):
    embedded = EmbeddedStore()
    embedded.load(loaders.read_dataset(generated, pseudonymise=pseudonymiser))
    neo4j_store.batch_size = 700
    reported: list[tuple[str, int, int]] = []
    neo4j_store.progress = lambda *a: reported.append(a)
    neo4j_store.load(loaders.stream_dataset(generated, pseudonymise=pseudonymiser, chunk_bytes=8192))
    assert neo4j_store.counts() == embedded.counts()
    for rel in ("ENGAGES_WITH", "PUBLISHES_ON"):
        want = embedded.relationships(rel).sort_values(["source_id", "target_id"], ignore_index=True)
        got = neo4j_store.relationships(rel)[list(want.columns)]
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    engages = [r for r in reported if r[0] == "ENGAGES_WITH"]
    assert engages[-1][1] == engages[-1][2] == embedded.counts()["ENGAGES_WITH"]
    assert all(a[1] < b[1] for a, b in zip(engages, engages[1:]))  # one count over the kind's chunks


def test_rows_during_validation_need_the_streamed_read(tmp_path, pseudonymiser):
    from graphkit import workflows
    from graphkit.errors import ArgumentError

    folder = write_dataset(tmp_path / "d", {"topics.csv": "id,name\nt1,Physics\n"})
    with pytest.raises(ArgumentError, match="on_chunk is called by the streamed read"):
        workflows.read_folder(EmbeddedStore(), folder, pseudonymiser=pseudonymiser, stream=False,
                              on_chunk=lambda name, frame: None)
