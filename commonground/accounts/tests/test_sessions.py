"""The session store reads what Django's database store reads, and forgets what it forgets."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_project_uses_this_store():
    assert settings.SESSION_ENGINE == "commonground.accounts.sessions"


def test_a_session_reads_back_what_djangos_store_reads_in_one_query():
    store = SessionStore()
    store["_auth_user_id"] = "7"
    store["when"] = "now"
    store.create()
    mine = SessionStore(store.session_key)
    with CaptureQueriesContext(connection) as queries:
        data = mine.load()
    assert len(queries.captured_queries) == 1
    assert data == DjangoStore(store.session_key).load() == {"_auth_user_id": "7", "when": "now"}
    assert mine.session_key == store.session_key


def test_an_expired_or_unknown_session_is_empty_and_its_key_forgotten():
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    for key in (store.session_key, "no-such-session-key-at-all"):
        mine, theirs = SessionStore(key), DjangoStore(key)
        assert mine.load() == theirs.load() == {}
        assert mine.session_key is None and theirs.session_key is None
