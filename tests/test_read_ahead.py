"""graphkit.stores._read_ahead: the next items produced in a thread while the caller uses one
(a streamed load's next chunk while the server writes the current one).  No server needed."""

from __future__ import annotations

import threading

import pytest

from graphkit.stores._read_ahead import read_ahead


def _counted(n: int, fail_at: int | None = None, taken: list[int] | None = None):
    for i in range(n):
        if i == fail_at:
            raise ValueError(f"item {i} is bad")
        if taken is not None:
            taken.append(i)
        yield i


def _read_ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "graphkit-read-ahead"]


def test_the_read_ahead_gives_every_item_in_order_and_leaves_no_thread():
    assert list(read_ahead(_counted(50))) == list(range(50))
    assert list(read_ahead([])) == []
    assert _read_ahead_threads() == []


def test_the_read_ahead_raises_the_error_after_the_items_before_it():
    got = []
    with pytest.raises(ValueError, match="item 3 is bad"):
        for item in read_ahead(_counted(10, fail_at=3)):
            got.append(item)
    assert got == [0, 1, 2] and _read_ahead_threads() == []


def test_a_caller_that_stops_early_stops_the_read_ahead_within_its_depth():
    taken: list[int] = []
    ahead = read_ahead(_counted(1000, taken=taken), depth=1)
    assert [next(ahead), next(ahead)] == [0, 1]
    ahead.close()
    # Two handed over, one waiting in the queue, one produced that found no room: never the rest.
    assert len(taken) <= 4 and _read_ahead_threads() == []

