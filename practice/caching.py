"""Forgetting cached values when the rows behind them change, the file cache the embedded
configuration uses, and the Redis cache of a production one."""

import contextlib
import os
import pickle
import tempfile
import time
import zlib

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
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


class _AnyKey:
    """Keys are not checked against memcached's limits (250 characters, no spaces or control
    characters), which neither Redis nor a file name derived from the key's hash has. Django
    checks every key of every operation a character at a time, on every request (the session,
    the user, the navigation's figures), and suggests this override for caches without them.
    """

    def validate_key(self, key):
        pass


class FileCache(_AnyKey, FileBasedCache):
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


_MISSING = object()  # no value: not in the cache, or (read ahead) not in Redis
_NOT_READ = object()  # a key `RedisCache.get_many` has nothing read ahead for
# Every zlib stream that Django's file cache writes begins with this byte; a pickle of the
# protocols it and this cache write (2 and later) begins with another (PROTO, 0x80).
_ZLIB_FIRST_BYTE = b"\x78"


def _loads(data: bytes):
    """A value as `FileCache` stores it, or compressed as Django's file cache stores it."""
    if data[:1] == _ZLIB_FIRST_BYTE:
        data = zlib.decompress(data)
    return pickle.loads(data)


class RedisCache(_AnyKey, DjangoRedisCache):
    """Django's Redis cache, with one redis-py client per connection pool instead of one per
    operation.

    Django's builds a new `redis.Redis` around the shared connection pool for every get and
    set; redis-py's constructor fills a table of some 170 reply handlers each time, which cost
    more than the round trip to Redis itself (about 60 µs against 130 µs here), on every
    cache read of every request: the session, the user, the navigation's figures. A client
    with a connection pool is safe to share between threads, and the pool already follows a
    fork (gunicorn's workers) by opening new connections, so one client per pool is kept.

    Values can also be read a round trip early (`read_ahead`): the session store fetches the
    signed-in user's row and navigation figures with the session, in one MGET, and the
    authentication backend's read of them then costs no round trip of its own. Each value read
    ahead serves one read; a write or delete of its key drops it, and so does `close`, which
    Django calls when the request ends, so no value outlives the request that fetched it.
    Django gives each thread its own instance of a cache, so the values a request reads ahead
    are its own.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClientRedisCacheClient
        self._ahead: dict = {}  # key -> value, or _MISSING where Redis had none

    def read_ahead(self, keys) -> None:
        found = super().get_many(keys)
        self._ahead = {key: found.get(key, _MISSING) for key in keys}

    def get(self, key, default=None, version=None):
        if self._ahead and version is None and key in self._ahead:
            value = self._ahead.pop(key)
            return default if value is _MISSING else value
        return super().get(key, default, version)

    def get_many(self, keys, version=None):
        if not self._ahead or version is not None:
            return super().get_many(keys, version)
        found, unread = {}, []
        for key in keys:
            value = self._ahead.pop(key, _NOT_READ)
            if value is _NOT_READ:
                unread.append(key)
            elif value is not _MISSING:
                found[key] = value
        if unread:
            found.update(super().get_many(unread))
        return found

    def _drop_ahead(self, keys) -> None:
        for key in keys:
            self._ahead.pop(key, None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._drop_ahead([key])
        return super().add(key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._drop_ahead([key])
        super().set(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self._drop_ahead([key])
        return super().touch(key, timeout, version)

    def delete(self, key, version=None):
        self._drop_ahead([key])
        return super().delete(key, version)

    def incr(self, key, delta=1, version=None):
        self._drop_ahead([key])
        return super().incr(key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        self._drop_ahead(data)
        return super().set_many(data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        self._drop_ahead(keys)
        super().delete_many(keys, version)

    def clear(self):
        self._ahead = {}
        return super().clear()

    def close(self, **kwargs):
        self._ahead = {}
        super().close(**kwargs)


class _SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # Two threads may both build one; either serves, and the pool is the same.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client
