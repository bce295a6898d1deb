"""Django's PostgreSQL back end with a health check that costs no round trip.

With CONN_HEALTH_CHECKS, Django checks a reused connection at the start of every request
that touches the database by running `SELECT 1`: a round trip to the server on every request,
as dear as the query most pages then run. A server that ends a connection (a restart, an
administrator's `pg_terminate_backend`, an idle timeout) says so on the socket before closing
it, and an idle connection otherwise receives nothing. So the check here first asks the
operating system whether the socket has anything to read, which is a system call and no
round trip; only when it has, does it run Django's own check, which then finds the
connection dead (and reconnects) or reads the harmless message (a notice, a changed server
setting) and keeps it.

What neither check can see faster than TCP's own time-outs is a peer that vanished without
a word (a cut cable); Django's `SELECT 1` would wait on it just the same.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is None
            or self.pool
            or not self.health_check_enabled
            or self.health_check_done
        ):
            return
        if self._server_has_spoken() and not self.is_usable():
            self.close()
        self.health_check_done = True

    def _server_has_spoken(self) -> bool:
        """Whether the idle connection's socket is readable, closed or in error."""
        try:
            socket = self.connection.pgconn.socket
        except base.Database.Error:  # libpq has already seen it lost
            return True
        if not hasattr(select, "poll"):  # Windows
            return bool(select.select([socket], [], [], 0)[0])
        poller = select.poll()
        poller.register(socket, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
