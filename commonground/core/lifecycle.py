"""Review lifecycles: one transition table per reviewed thing, one way to move along it.

A lifecycle lists its moves: the verb (what the person does), the states it may start from, the
state it leads to, the permission it needs and the past participle its messages use. Services
ask `lifecycle.target(status, verb)` before they write (a move not in the table is a Conflict
with the stable code `invalid_transition`, worded the same way for every thing reviewed), and
`lifecycle.allowed(status)` tells a page which buttons to offer. Results and partner reports use
it today; the reviewed things to come (action items, grievances, pledges) declare their own.

The review vocabulary, one verb per act wherever it is offered:
- submit: the author sends it for review;
- return: the reviewer sends it back with a comment;
- approve (results) / accept (partner reports): the reviewer takes it; the two words stay
  because the API already names them, and mean the same act;
- reopen: a reviewer unlocks a taken one, with a reason.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from commonground.core.errors import Conflict

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as Text
else:
    Text = str


@dataclass(frozen=True)
class Move:
    verb: str
    sources: frozenset[str]
    target: str
    perm: str
    done: "Text"  # the past participle for messages: "submitted" (may be lazy)


class Lifecycle:
    """A transition table; `message` is formatted with {state} (the current state's label)
    and {done} (the move's past participle).

    Both `message` and each move's `done` may be lazy translations (gettext_lazy /
    pgettext_lazy): they are read when a move is refused, in the language then active. Give
    `done` a context that tells translators which form the message needs (Spanish says "no se
    puede enviar" where English says "cannot be submitted")."""

    def __init__(self, name: str, moves: Iterable[Move], message: "Text") -> None:
        self.name = name
        self.moves = {move.verb: move for move in moves}
        self.message = message

    def move(self, verb: str) -> Move:
        try:
            return self.moves[verb]
        except KeyError:
            raise ValueError(f"{self.name} has no move {verb!r}") from None

    def target(self, status: str, verb: str, *, state_label: str = "") -> str:
        """The state `verb` leads to from `status`; a Conflict when the table has no such move."""
        move = self.move(verb)
        if status not in move.sources:
            raise Conflict(
                str(self.message).format(
                    state=str(state_label or status).lower(), done=str(move.done)
                ),
                code="invalid_transition",
            )
        return move.target

    def allowed(self, status: str) -> list[str]:
        """The verbs that may start from `status`, in the table's order."""
        return [verb for verb, move in self.moves.items() if status in move.sources]

    def pairs(self) -> dict[tuple[str, str], str]:
        """Every (state, verb) the table allows, with the state it leads to."""
        return {
            (source, verb): move.target
            for verb, move in self.moves.items()
            for source in sorted(move.sources)
        }
