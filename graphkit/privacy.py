"""Keyed pseudonyms for viewer identifiers.

A viewer id becomes ``vp_`` followed by the first 24 hex digits of
HMAC-SHA256(key, id).  The key decides the pseudonyms, so the same key must be used for
every load into a store (a store keeps the key's fingerprint, never the key, and refuses
another).  The key is looked up in this order:

1. the ``key`` argument (CLI: ``--pseudonym-key-file``, read from a file);
2. the environment variable ``GRAPHKIT_PSEUDONYM_KEY`` (the key itself);
3. the file named by ``GRAPHKIT_PSEUDONYM_KEY_FILE``;
4. ``pseudonym.key`` in the user's configuration folder (``$GRAPHKIT_CONFIG_DIR``, else
   ``$XDG_CONFIG_HOME/graphkit``, else ``~/.config/graphkit``: :func:`config_dir`), created
   once with 32 random bytes and mode 600 when absent, and reused after.  The pseudonymiser then
   says so (``created_key``): back that file up, since a lost key means the same viewers
   get new pseudonyms in the next load.

The variables are read through :mod:`graphkit.config`.  A key file that other users can
read (group or other permission bits set) is refused, with the ``chmod`` that fixes it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit import config
from graphkit.config import config_dir
from graphkit.errors import ConfigError

__all__ = ["Pseudonymiser", "config_dir", "PREFIX"]

PREFIX = "vp_"
_KEY_FILE = "pseudonym.key"


def _read_key(path: Path) -> bytes:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        key = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the pseudonym key file {path}: {exc.strerror}") from exc
    if mode & 0o077:
        raise ConfigError(f"the pseudonym key file {path} can be read by other users (mode {mode:03o}); "
                          f"make it private with: chmod 600 {path}")
    if len(key) < 16:
        raise ConfigError(f"the pseudonym key in {path} is too short (at least 16 bytes)")
    return key


#: Raw ids whose pseudonyms are remembered (about 200 bytes each: 50 MB) before the memory is
#: emptied: a viewer recurs in several files and, in an export sorted by viewer, in nearby
#: rows, while a bounded cache keeps a streamed load's memory flat however many viewers there are.
_CACHE_IDS = 1 << 18


class Pseudonymiser:
    """Maps raw viewer ids to stable keyed pseudonyms.

    Parameters
    ----------
    key : bytes
        The secret; at least 16 bytes.

    Examples
    --------
    >>> p = Pseudonymiser(b"0123456789abcdef")
    >>> p.one("viewer-42")
    'vp_66d7081d0bd91791bcf56965'
    >>> p(pd.Series(["viewer-42"])).tolist() == [p.one("viewer-42")]
    True
    """

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ConfigError("a pseudonym key must have at least 16 bytes")
        self._mac = hmac.new(key, digestmod=hashlib.sha256)
        self._cache: dict[str, str] = {}  # a viewer id recurs in several files of one load
        #: The key file :meth:`from_config` created for this pseudonymiser, if it made one.
        self.created_key: Path | None = None
        # Identifies the key without revealing it: stores compare it across loads.
        self.fingerprint = hmac.new(key, b"graphkit key fingerprint", hashlib.sha256).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"Pseudonymiser(fingerprint={self.fingerprint!r})"

    @classmethod
    def from_config(cls, key: bytes | None = None) -> Pseudonymiser:
        """The pseudonymiser for the key found as the module docstring describes."""
        if key is not None:
            return cls(key)
        from_env = config.pseudonym_key()
        if from_env is not None:
            return cls(from_env)
        key_file = config.pseudonym_key_file()
        if key_file is not None:
            return cls(_read_key(key_file))
        path = config_dir() / _KEY_FILE
        created = False
        if not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_hex(32))
                created = True
            except FileExistsError:
                pass  # another process created it first; use theirs
            except OSError as exc:
                raise ConfigError(f"cannot create the pseudonym key {path}: {exc.strerror}") from exc
        pseudonymiser = cls(_read_key(path))
        pseudonymiser.created_key = path if created else None
        return pseudonymiser

    @classmethod
    def from_file(cls, path: str | Path) -> Pseudonymiser:
        """The pseudonymiser for the key stored in ``path``."""
        return cls(_read_key(Path(path)))

    def one(self, raw_id: str) -> str:
        """The pseudonym of one raw id."""
        mac = self._mac.copy()
        mac.update(raw_id.encode("utf-8"))
        return PREFIX + mac.hexdigest()[:24]

    def __call__(self, ids: pd.Series) -> pd.Series:
        """Pseudonyms of a Series of raw ids, hashing each distinct id once."""
        codes, uniques = pd.factorize(ids, use_na_sentinel=True)
        if len(self._cache) > _CACHE_IDS:
            self._cache.clear()
        cache = self._cache
        mapped = []
        for u in map(str, uniques):
            pseudonym = cache.get(u)
            if pseudonym is None:
                pseudonym = cache[u] = self.one(u)
            mapped.append(pseudonym)
        # One pseudonym per distinct id, spread by numpy: a missing id (code -1) takes the None at the end.
        table = np.array([*mapped, None], dtype=object)
        return pd.Series(table[codes], index=ids.index, dtype=object)
