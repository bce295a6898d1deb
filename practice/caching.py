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
    `CULL_INTERVAL` seconds in each process, and compressing at zlib's fastest level.

    Django's lists the whole cache directory before every write to count the entries; with
    the 20,000 entries the settings allow (a session, a user and the navigation's figures for
    each signed-in student), that listing takes tens of milliseconds on every write. Counting
    now and then instead lets the directory pass MAX_ENTRIES by what the processes write
    between two counts, after which culling brings it back as before.

    Django's compresses every value at zlib's default level, which for the larger values
    (the progress page's figures, which come compressed already) takes several times as long
    as the fastest level for a few percent less on disk; reading is the same at every level.

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

    def _write_content(self, file, timeout, value):
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), 1))
