"""user_for_api_token reads token and user with one fixed statement: it must give what the ORM
gives, and refuse what the ORM's filter refused."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.accounts.models import ApiToken, User
from commonground.accounts.selectors import user_for_api_token
from commonground.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_token_reads_the_user_the_orm_reads_field_by_field(world):
    User.objects.filter(pk=world.reporter.pk).update(last_login=timezone.now())
    for person in (world.reporter, world.site_admin):
        _, secret = api_token_create(user=person, name="script")
        found = user_for_api_token(secret)
        expected = User.objects.get(pk=person.pk)
        assert found is not None
        assert _fields(found) == _fields(expected)
        for name, value in _fields(expected).items():
            assert type(_fields(found)[name]) is type(value), name
        assert found._state.adding is False and found._state.db == "default"


def test_a_token_is_read_with_one_query_and_its_use_noted_once_a_minute(world):
    token, secret = api_token_create(user=world.coordinator, name="script")
    with CaptureQueriesContext(connection) as queries:
        assert user_for_api_token(secret) == world.coordinator
    assert len(queries.captured_queries) == 2  # the read, and last_used_at noted
    first_use = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None
    with CaptureQueriesContext(connection) as queries:
        assert user_for_api_token(secret) == world.coordinator
    assert len(queries.captured_queries) == 1
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - dt.timedelta(minutes=2))
    user_for_api_token(secret)
    noted = ApiToken.objects.get(pk=token.pk).last_used_at
    assert noted is not None and noted > first_use


def test_no_user_for_a_revoked_unknown_or_malformed_token_or_an_inactive_person(world):
    token, secret = api_token_create(user=world.coordinator, name="script")
    _, other = api_token_create(user=world.reporter, name="script")
    assert user_for_api_token(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert user_for_api_token(secret.removeprefix("cg_")) is None
    assert user_for_api_token("") is None
    api_token_revoke(user=world.coordinator, token=token)
    assert user_for_api_token(secret) is None
    User.objects.filter(pk=world.reporter.pk).update(is_active=False)
    assert user_for_api_token(other) is None


def test_user_by_pk_is_what_the_orm_reads_and_other_gets_are_untouched(world):
    User.objects.filter(pk=world.reporter.pk).update(last_login=timezone.now())
    for person in (world.reporter, world.site_admin):
        with CaptureQueriesContext(connection) as queries:
            found = User.objects.get(pk=person.pk)
        assert len(queries.captured_queries) == 1
        expected = User.objects.filter(pk=person.pk).get()
        assert _fields(found) == _fields(expected)
        for name, value in _fields(expected).items():
            assert type(_fields(found)[name]) is type(value), name
        assert found._state.adding is False and found._state.db == "default"
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=10**9)
    assert User.objects.get(pk=str(world.viewer.pk)) == world.viewer  # through the ORM
    assert User.objects.get(email=world.viewer.email) == world.viewer
