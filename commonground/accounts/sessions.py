"""Django's database sessions (SESSION_ENGINE), with the read every signed-in request makes as one
fixed statement: through the ORM it cost about 0.5 ms of CPU, the statement 0.1 ms
(benchmarks/README.md, "Per-request cost"). Same table, same rows, same expiry rule."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from commonground.core.row_reader import RowReader


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        # What Django's does: the unexpired row of this key, else forget the key.
        found = _SESSION.read([self.session_key, timezone.now()])
        if found is None:
            self._session_key = None
            return None
        session = found[0]
        assert isinstance(session, Session)
        return session


_SESSION = RowReader(
    [(Session, "s")],
    lambda n: (
        f"FROM {n.table(Session)} s WHERE s.{n.column(Session, 'session_key')} = %s "
        f"AND s.{n.column(Session, 'expire_date')} > %s"
    ),
)
