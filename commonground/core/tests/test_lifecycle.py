"""Review lifecycles answer the same way for every reviewed thing."""

import pytest

from commonground.core.errors import Conflict
from commonground.core.lifecycle import Lifecycle, Move
from commonground.reporting.services.reports import LIFECYCLE as REPORT
from commonground.results.services.entry import LIFECYCLE as RESULT

DOOR = Lifecycle(
    "door",
    [
        Move("open", frozenset({"shut"}), "open", "use", "opened"),
        Move("shut", frozenset({"open", "ajar"}), "shut", "use", "shut"),
    ],
    message="A {state} door cannot be {done}.",
)


def test_a_move_from_an_allowed_state_leads_to_its_target():
    assert DOOR.target("shut", "open") == "open"
    assert DOOR.target("ajar", "shut") == "shut"


def test_a_move_the_table_does_not_have_is_a_conflict_worded_for_the_thing():
    with pytest.raises(Conflict) as caught:
        DOOR.target("open", "open", state_label="Open")
    assert caught.value.code == "invalid_transition"
    assert str(caught.value.message) == "A open door cannot be opened."


def test_an_unknown_verb_is_a_programming_error_not_a_conflict():
    with pytest.raises(ValueError):
        DOOR.target("shut", "slam")


def test_allowed_lists_the_buttons_a_page_may_offer():
    assert DOOR.allowed("shut") == ["open"]
    assert DOOR.allowed("ajar") == ["shut"]


def test_results_and_reports_share_the_review_verbs_and_their_rules():
    assert set(RESULT.moves) == {"submit", "approve", "return", "reopen"}
    assert set(REPORT.moves) == {"submit", "accept", "return", "reopen"}
    # The same act leads to the same kind of state in both.
    assert RESULT.pairs()[("submitted", "return")] == REPORT.pairs()[("submitted", "return")]
    assert RESULT.pairs()[("approved", "reopen")] == "returned"
    assert REPORT.pairs()[("accepted", "reopen")] == "returned"
    # Reviewing needs a reviewer's permission; submitting an author's.
    assert RESULT.move("submit").perm != RESULT.move("approve").perm
    assert REPORT.move("submit").perm != REPORT.move("accept").perm
