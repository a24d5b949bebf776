"""The session store: Django's database sessions, tolerant of a read-only database.

``SESSION_SAVE_EVERY_REQUEST`` renews the idle timeout by updating the session row on
every request. When the database refuses writes (ADR 22) that update would fail every
page, reads included, so an existing session that cannot be renewed is left as it was
(its expiry is not extended; it still ends on time) and the refusal is remembered.
Creating a session (signing in) still fails: a sign-in must be throttled and audited,
and neither can be written then.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import db
from django.db import DatabaseError

from core import outages

logger = logging.getLogger("core.sessions")


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        renewal = not must_create and self.session_key is not None
        if renewal and outages.database_refusing_writes():
            return
        try:
            super().save(must_create=must_create)
        except DatabaseError as exc:
            if not renewal or not outages.refuses_writes(exc):
                raise
            outages.remember_refusal()
            logger.warning("session not renewed: the database refuses writes")
