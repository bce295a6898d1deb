"""The embedded configuration's file cache: Django's, counting its entries now and then and
storing values uncompressed."""

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from practice import caching
from practice.caching import FileCache


def _entries(directory) -> int:
    return len(list(directory.glob("*.djcache")))


def test_the_file_cache_culls_only_after_its_interval(tmp_path, monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: clock[0])
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 4, "CULL_FREQUENCY": 2}})

    for number in range(10):
        cache.set(f"key-{number}", number)
    # Counted once, at the first write: in between the directory may pass MAX_ENTRIES, and
    # every value written is still there.
    assert _entries(tmp_path) == 10
    assert [cache.get(f"key-{number}") for number in range(10)] == list(range(10))

    clock[0] += FileCache.CULL_INTERVAL
    cache.set("one-more", "value")
    # Counted again: half of the ten culled, as Django culls, then the new entry written.
    assert _entries(tmp_path) == 6
    assert cache.get("one-more") == "value"


def test_values_read_back_and_expire(tmp_path, monkeypatch):
    cache = FileCache(str(tmp_path), {})
    value = {"markup": b"compressed figures" * 200, "days": [739000, 739001]}
    cache.set("figures", value, 60)
    assert cache.get("figures") == value
    cache.set("short", "lived", 1)
    later = caching.time.time() + 5
    monkeypatch.setattr("django.core.cache.backends.filebased.time.time", lambda: later)
    assert cache.get("short") is None
    assert cache.get("figures") == value


def test_replacing_an_entry_leaves_the_new_value_and_no_stray_files(tmp_path):
    cache = FileCache(str(tmp_path), {})
    cache.set("figures", "old", 60)
    cache.set("figures", "new", 60)
    assert cache.get("figures") == "new"
    assert [path.suffix for path in tmp_path.iterdir()] == [".djcache"]


def test_a_value_that_cannot_be_written_leaves_the_old_entry_and_no_stray_files(tmp_path):
    cache = FileCache(str(tmp_path), {})
    cache.set("figures", "old", 60)
    with pytest.raises(TypeError, match="pickle"):
        cache.set("figures", (line for line in ["a generator cannot be pickled"]), 60)
    assert cache.get("figures") == "old"
    assert [path.suffix for path in tmp_path.iterdir()] == [".djcache"]


def test_entries_written_by_djangos_file_cache_are_still_read_and_touched(tmp_path):
    # A deployment upgraded from Django's own file cache keeps the entries it wrote.
    value = {"markup": "<p>figures</p>" * 2000, "days": [739000]}
    FileBasedCache(str(tmp_path), {}).set("figures", value, 60)
    cache = FileCache(str(tmp_path), {})
    assert cache.get("figures") == value
    assert cache.touch("figures", 600)
    assert cache.get("figures") == value
    assert not cache.touch("missing", 600)
    assert cache.get("missing", "default") == "default"


def test_touch_keeps_a_value_past_its_old_expiry(tmp_path, monkeypatch):
    cache = FileCache(str(tmp_path), {})
    cache.set("session", {"user": 1}, 1)
    assert cache.touch("session", 600)
    later = caching.time.time() + 5
    monkeypatch.setattr("django.core.cache.backends.filebased.time.time", lambda: later)
    assert cache.get("session") == {"user": 1}


def test_any_key_is_kept_without_memcached_warnings(tmp_path, recwarn):
    cache = FileCache(str(tmp_path), {})
    key = "a title with spaces: " + "x" * 300  # memcached refuses both
    cache.set(key, "kept")
    assert cache.get(key) == "kept"
    assert [str(warning.message) for warning in recwarn] == []
