"""Forgetting cached values when the rows behind them change."""

from django.core.cache import cache
from django.db import transaction


def forget(*keys: str) -> None:
    """Drop the cached values now and again once the current transaction commits.

    Dropping them now stops this request reading its own stale value; dropping them again
    after the commit removes a value that a concurrent request read from the old rows and
    stored in between. Outside a transaction the second drop runs at once.
    """
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
