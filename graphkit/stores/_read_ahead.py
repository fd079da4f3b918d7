"""Producing the next items of an iterable in a thread while the caller works on the current one."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["read_ahead"]


def read_ahead(items: Iterable[Any], depth: int = 1) -> Iterator[Any]:
    """``items`` in order, a thread producing up to ``depth`` of them ahead while the caller uses one.

    A streamed load's next chunk is read, converted and pseudonymised while the current one
    waits on the server (the driver releases the GIL on its socket) or is written to a file.
    An exception in ``items`` is raised here, at the item it stopped at; when the caller
    stops early, the thread stops after its current item.

    Examples
    --------
    >>> list(read_ahead(iter(range(5))))
    [0, 1, 2, 3, 4]
    """
    slots: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[bool, Any]) -> bool:
        while not stop.is_set():
            try:
                slots.put(entry, timeout=0.05)
                return True
            except queue.Full:
                pass
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((False, item)):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread, which raises it
            put((True, exc))
        else:
            put((True, None))

    thread = threading.Thread(target=produce, name="graphkit-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            last, item = slots.get()
            if last:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        thread.join()
