"""Sessions as Django's cached_db engine keeps them (read from the cache, written through to
the database), read together with what the signed-in user's request reads next.

Every signed-in request reads the session, then the user's row and the navigation's figures
(`CachedModelBackend.get_user`), which it can only name once it knows whose session it is:
two round trips to the cache. Each process remembers whose session a session key was the
last time it read it, and from the second request of a session on, reads the user's keys
ahead with the session, in one round trip, where the cache can (`RedisCache.read_ahead`).

Which keys are read ahead decides nothing: the user is still the one the session names, and a
value read ahead is only what the backend would have read from the cache itself a moment
later. A session key remembered wrongly (one signed out since) costs a key read for nothing.
"""

import contextlib

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore

from .backends import signed_in_cache_keys

# Session keys whose user this process remembers; past this many it starts again from none.
REMEMBERED_SESSIONS = 20_000  # about 5 MB

_user_of_session: dict[str, str] = {}


class SessionStore(CachedDbSessionStore):
    def load(self):
        remembered = _user_of_session.get(self.session_key)
        read_ahead = getattr(self._cache, "read_ahead", None)
        if remembered is not None and read_ahead is not None:
            # As Django's load does, a cache that fails is passed by: the database answers.
            with contextlib.suppress(Exception):
                read_ahead([self.cache_key, *signed_in_cache_keys(remembered)])
        data = super().load()
        signed_in = data.get(SESSION_KEY)
        if signed_in is not None and self.session_key is not None:
            if len(_user_of_session) >= REMEMBERED_SESSIONS:
                _user_of_session.clear()
            _user_of_session[self.session_key] = signed_in
        return data

    def delete(self, session_key=None):
        _user_of_session.pop(session_key or self.session_key, None)
        super().delete(session_key)
