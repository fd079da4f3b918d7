"""The generator and the writer work a slice at a time: the files do not depend on the sizes.

``loaders.write._SLICE_ROWS`` (rows written at a time) and ``loaders.generator._CHUNK``
(oversampled candidates drawn and de-duplicated at a time) bound memory at large scales;
set tiny here, they must write exactly the files of one slice and one chunk.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import loaders.generator as generator
import loaders.write as write
from graphkit import model
from loaders.generator import FORMATS, generate, generate_frames, write_frames
from tests.test_generate import BEFORE_THE_LINK, folder_digest

KINDS = (*model.NODE_KINDS, *model.REL_KINDS)


def assert_same_files(first: Path, second: Path, fmt: str) -> None:
    for kind in KINDS:
        name = f"{kind.file}.{fmt}"
        if fmt == "parquet":
            assert pq.read_table(first / name).equals(pq.read_table(second / name)), name
        else:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.parametrize("link", [0.0, 1.0])
@pytest.mark.parametrize("fmt", FORMATS)
def test_tiny_slices_and_chunks_write_the_files_of_one_slice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             fmt: str, link: float) -> None:
    whole = generate(100, seed=1, out=tmp_path / "whole", format=fmt, earning_link=link)
    assert max(whole.relationships.values()) > 100 * 50  # so it takes over a hundred slices
    monkeypatch.setattr(write, "_SLICE_ROWS", 50)
    monkeypatch.setattr(generator, "_CHUNK", 97)  # chunks end inside an owner's run of candidates
    sliced = generate(100, seed=1, out=tmp_path / "sliced", format=fmt, earning_link=link)
    assert dataclasses.replace(sliced, out=whole.out) == whole
    assert_same_files(whole.out, sliced.out, fmt)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_chunks_shorter_than_an_owners_candidates_keep_the_recorded_bytes(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         fmt: str) -> None:
    # every viewer has at least 7 candidates (3k + 4, k >= 1), most more: a chunk of 5 holds
    # less than one owner's run, so each chunk is one whole owner
    monkeypatch.setattr(generator, "_CHUNK", 5)
    monkeypatch.setattr(write, "_SLICE_ROWS", 7)
    generate(50, seed=0, out=tmp_path, format=fmt)
    assert folder_digest(tmp_path) == BEFORE_THE_LINK[(50, 0, fmt)]


def test_frames_from_the_plans_are_the_frames_sliced(monkeypatch: pytest.MonkeyPatch) -> None:
    frames = generate_frames(40, seed=2)
    for file, plan in generator._plans(40, 2, 0.0).items():
        assert len(plan) == len(frames[file])
        parts = [plan.rows(a, min(a + 9, len(plan))) for a in range(0, len(plan), 9)] or [plan.rows(0, 0)]
        pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), frames[file], check_index_type=False)


@pytest.fixture()
def quoted_frames() -> dict[str, pd.DataFrame]:
    """Generated frames with values that need CSV quoting in a late slice of a kind with floats."""
    frames = {file: frame.copy() for file, frame in generate_frames(20, seed=0).items()}
    eng = frames[model.ENGAGES_WITH.file]
    eng.loc[0, model.ENGAGES_WITH.properties[-1].name] = 42.0  # Arrow writes 42, pandas 42.0
    eng.loc[30, model.SOURCE_ID] = 'v"1,2'  # a quote and a comma
    eng.loc[31, model.TARGET_ID] = "c1\nc2"  # a line break
    frames[model.INSTITUTION.file].loc[3, "name"] = "Lab, Beijing"
    return frames


@pytest.mark.parametrize("fmt", FORMATS)
def test_values_that_need_quoting_write_the_same_file_in_slices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 quoted_frames: dict[str, pd.DataFrame],
                                                                 fmt: str) -> None:
    write_frames(quoted_frames, tmp_path / "whole", format=fmt)
    monkeypatch.setattr(write, "_SLICE_ROWS", 7)  # the quoted rows come slices after Arrow's first ones
    write_frames(quoted_frames, tmp_path / "sliced", format=fmt)
    assert_same_files(tmp_path / "whole", tmp_path / "sliced", fmt)
    if fmt == "csv":
        path = tmp_path / "sliced" / f"{model.ENGAGES_WITH.file}.csv"
        back = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert back.loc[30, model.SOURCE_ID] == 'v"1,2' and back.loc[31, model.TARGET_ID] == "c1\nc2"
        assert len(back) == len(quoted_frames[model.ENGAGES_WITH.file])
        watch = model.ENGAGES_WITH.properties[-1].name
        # the whole file went through pandas, not only the slices that needed quoting
        assert back[watch].str.contains(".", regex=False).all()
