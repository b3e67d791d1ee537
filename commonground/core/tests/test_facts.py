"""Facts connect a service that makes something true to the reactions of other apps, inside
the same transaction."""

import pytest
from django.db import transaction

from commonground.core.audit import record_event
from commonground.core.facts import Fact, declared
from commonground.core.models import AuditEvent


def test_a_fact_runs_its_reactions_in_registration_order_once_each():
    fact = Fact("tests.ordered")
    heard: list[str] = []

    def first(**facts: object) -> None:
        heard.append(f"first {facts['n']}")

    def second(**facts: object) -> None:
        heard.append(f"second {facts['n']}")

    fact.react(first)
    fact.react(second)
    fact.react(first)  # a ready() that runs again registers nothing new
    fact.state(n=1)
    assert heard == ["first 1", "second 1"]
    assert fact.reactions == (first, second)


def test_a_fact_cannot_be_declared_twice():
    Fact("tests.once")
    with pytest.raises(ValueError):
        Fact("tests.once")


@pytest.mark.django_db
def test_a_reaction_that_fails_undoes_the_change_that_stated_the_fact():
    fact = Fact("tests.rolls_back")
    count = AuditEvent.objects.count()

    def refuse(**facts: object) -> None:
        raise RuntimeError("the reaction refused")

    fact.react(refuse)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(actor=None, action="tests.fact", object_label="x")
        fact.state()
    assert AuditEvent.objects.count() == count


def test_the_product_declares_its_facts_and_reporting_reacts_to_them():
    facts = declared()
    assert {
        "results.target_reached",
        "reporting.report_published",
        "notifications.digest_sent",
    } <= set(facts)
    assert all(
        facts[name].reactions for name in ("results.target_reached", "notifications.digest_sent")
    )
