"""The embedded store's folder on disk: an exclusive writer lock, atomic saves, and recovery.

A save of the store folder ``W`` runs in four steps, each of which a kill can interrupt:

1. write everything into ``W.saving`` (``manifest.json`` last, so a manifest means complete);
2. rename ``W`` to ``W.old``: the commit point, after which the new state is the store;
3. rename ``W.saving`` to ``W``;
4. delete ``W.old``.

:func:`recover` brings any state those steps can leave back to exactly one store folder:
before the commit point it rolls back (``W`` stays, an uncommitted ``W.saving`` goes);
after it, it rolls forward (``W.saving`` becomes ``W``).  It never deletes the only copy
of a store: a folder is deleted only when another complete one takes its place.

Writers take :class:`FolderLock`, an ``flock`` on the file ``W.lock`` beside the folder.
The kernel releases it when its process ends, however it ends, so a crashed writer
leaves no lock behind; the file itself (holding the last holder's PID, for messages) may
stay and is harmless to delete.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from graphkit.errors import StoreError

__all__ = ["FolderLock", "lock_for", "recover", "needs_recovery", "commit", "read_manifest", "MANIFEST"]

MANIFEST = "manifest.json"


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def read_manifest(folder: Path) -> dict | None:
    """The folder's manifest, or None when it has none (not a store, or an incomplete save)."""
    try:
        return json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        return None
    except (OSError, json.JSONDecodeError) as exc:
        raise StoreError(f"cannot read {folder / MANIFEST}: {exc}") from exc


def needs_recovery(path: Path) -> bool:
    """Whether a save of ``path`` was interrupted (or is under way)."""
    return _sibling(path, ".saving").exists() or _sibling(path, ".old").exists()


def recover(path: Path) -> str | None:
    """Finish or undo an interrupted save of ``path``; returns what was done, or None.

    Call with the folder's lock held, so that no save is under way.
    """
    saving, old = _sibling(path, ".saving"), _sibling(path, ".old")
    saving_complete = saving.is_dir() and read_manifest(saving) is not None
    if path.exists():
        done = []
        if saving.exists():  # interrupted before the commit point: the save never happened
            shutil.rmtree(saving)
            done.append(f"discarded the uncommitted save {saving.name}")
        if old.exists():  # interrupted while deleting the previous state
            shutil.rmtree(old)
            done.append(f"removed the previous state {old.name}")
        return "; ".join(done) or None
    if saving_complete:  # after the commit point: roll forward
        saving.rename(path)
        shutil.rmtree(old, ignore_errors=True)
        return f"completed an interrupted save ({saving.name} became {path.name})"
    if old.exists():  # cannot happen with the steps above, but never lose the old state
        old.rename(path)
        shutil.rmtree(saving, ignore_errors=True)
        return f"restored the previous state from {old.name}"
    if saving.exists():  # an interrupted first save: there was no store before it
        shutil.rmtree(saving)
        return f"discarded the incomplete first save {saving.name}"
    return None


def commit(path: Path, write: Callable[[Path], None]) -> None:
    """Save atomically: ``write(folder)`` fills a fresh folder that then replaces ``path``.

    Call with the lock held and after :func:`recover`.
    """
    saving, old = _sibling(path, ".saving"), _sibling(path, ".old")
    saving.mkdir(parents=True)
    try:
        write(saving)
    except BaseException:
        shutil.rmtree(saving, ignore_errors=True)
        raise
    if path.exists():
        path.rename(old)
    saving.rename(path)
    shutil.rmtree(old, ignore_errors=True)


class FolderLock:
    """An exclusive, reentrant lock on a store folder, held by one process at a time.

    Get it with :func:`lock_for`: one object per folder in a process, since ``flock``
    would make two of one process's own descriptors exclude each other.
    """

    def __init__(self, path: Path) -> None:
        self.file = _sibling(path, ".lock")
        self._fd: int | None = None
        self._depth = 0

    def _holder(self) -> str:
        try:
            pid = self.file.read_text().strip()
        except OSError:
            pid = ""
        return f"process {pid}" if pid.isdigit() else "another process"

    def acquire(self, timeout: float = 0.0) -> None:
        """Take the lock, waiting up to ``timeout`` seconds for another process to release it."""
        if self._depth:
            self._depth += 1
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise StoreError(f"cannot lock {self.file}: {exc.strerror}") from exc
                if time.monotonic() >= deadline:
                    holder = self._holder()
                    os.close(fd)
                    raise StoreError(f"the store {self.file.name[:-len('.lock')]} is being written by {holder}; "
                                     "wait for it to finish and run this again") from exc
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd, self._depth = fd, 1

    def release(self) -> None:
        """Release one level of the lock; the last release unlocks the folder."""
        if not self._depth:
            return
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @contextmanager
    def holding(self, timeout: float = 0.0) -> Iterator[FolderLock]:
        """The lock held for the duration of a ``with`` block."""
        self.acquire(timeout)
        try:
            yield self
        finally:
            self.release()


_LOCKS: dict[Path, FolderLock] = {}


def lock_for(path: Path) -> FolderLock:
    """The lock object, one per process, for the store folder ``path``."""
    key = Path(os.path.abspath(path))
    if key not in _LOCKS:
        _LOCKS[key] = FolderLock(key)
    return _LOCKS[key]
