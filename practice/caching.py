"""Forgetting cached values when the rows behind them change, and the file cache the embedded
configuration uses."""

import contextlib
import os
import pickle
import tempfile
import time
import zlib

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def forget(*keys: str) -> None:
    """Drop the cached values now and again once the current transaction commits.

    Dropping them now stops this request reading its own stale value; dropping them again
    after the commit removes a value that a concurrent request read from the old rows and
    stored in between. Outside a transaction the second drop runs at once.
    """
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def on_save_or_delete(receiver, *models, uid: str) -> None:
    """Call `receiver` whenever a row of any of `models` is saved or deleted (their post_save
    and post_delete signals); `uid` names the connection, so connecting again changes nothing.
    """
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=uid)


class FileCache(FileBasedCache):
    """Django's file-based cache, deciding whether to cull at most once every
    `CULL_INTERVAL` seconds in each process, and storing values uncompressed.

    Django's lists the whole cache directory before every write to count the entries; with
    the 20,000 entries the settings allow (a session, a user and the navigation's figures for
    each signed-in student), that listing takes tens of milliseconds on every write. Counting
    now and then instead lets the directory pass MAX_ENTRIES by what the processes write
    between two counts, after which culling brings it back as before.

    Django's compresses every value with zlib, which gains nothing here: the values are small
    (a session, a user, a prompt), and a file takes a whole block of the disk whatever its size;
    the one large value, the progress page's figures, comes compressed already. Compressing
    them again cost a fifth of a millisecond on every write of the figures, and starting zlib
    costs more than a small value takes to write. Entries written compressed (by Django's own
    file cache, before an upgrade) are still read.

    Django's renames each new entry over the one it replaces. On ext4 (and other file systems
    that keep a crash from losing a file renamed over another) that rename waits for the new
    file's data to reach the disk: replacing an entry cost three to four times as much as
    writing a new one. This one removes the old entry just before the rename, so a reader in
    between finds none, as if it had expired.
    """

    CULL_INTERVAL = 10.0  # seconds

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._next_cull = 0.0

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + self.CULL_INTERVAL
        super()._cull()

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._createdir()  # the directory may have been deleted since
        path = self._key_to_file(key, version)
        self._cull()
        descriptor, written = tempfile.mkstemp(dir=self._dir)
        try:
            with open(descriptor, "wb") as file:
                self._write_content(file, timeout, value)
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
            os.rename(written, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(written)
            raise

    def get(self, key, default=None, version=None):
        path = self._key_to_file(key, version)
        with contextlib.suppress(FileNotFoundError), open(path, "rb") as file:
            if not self._is_expired(file):
                return _loads(file.read())
        return default

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        value = self.get(key, _MISSING, version)
        if value is _MISSING:
            return False
        self.set(key, value, timeout, version)
        return True

    def _write_content(self, file, timeout, value):
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))


_MISSING = object()
# Every zlib stream that Django's file cache writes begins with this byte; a pickle of the
# protocols it and this cache write (2 and later) begins with another (PROTO, 0x80).
_ZLIB_FIRST_BYTE = b"\x78"


def _loads(data: bytes):
    """A value as `FileCache` stores it, or compressed as Django's file cache stores it."""
    if data[:1] == _ZLIB_FIRST_BYTE:
        data = zlib.decompress(data)
    return pickle.loads(data)
