"""Facts: the one mechanism for in-transaction reactions between parts of the product.

A *fact* is something a service makes true inside its transaction: a target was reached, a
progress report was published, a digest was sent. The app that makes it true declares it once,
in its own `facts.py` (its named interface for others), and states it where it happens::

    target_reached = Fact("results.target_reached")     # results/facts.py
    target_reached.state(indicator=indicator, summary=summary)

An app that must react registers a service of its own from its AppConfig.ready()::

    target_reached.react(milestones.record_target_reached)

So the stating app never imports the reacting one, and the import direction of the layers
(core <- accounts <- partnerships <- capability apps <- demo) holds.

Reactions run synchronously, in the order they were registered, inside the stating
transaction: their writes commit or roll back with the change that made the fact true, and a
reaction that raises undoes that change (nothing half-written). What leaves the database (mail,
tasks) a reaction defers with `transaction.on_commit`, as every service does. The rule a
reaction applies lives in the reacting service, never here: this registry only connects.

Why not Django signals: a signal's receivers are looked up by sender and held by weak
reference, and the codebase had two mechanisms (a signal with a rule inside its receiver and a
deferred cross-app import). A fact is named where it is declared, holds its
reactions strongly, and lists them (`Fact.reactions`, `declared()`) for docs and tests.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Reaction = Callable[..., Any]

_declared: dict[str, "Fact"] = {}


class Fact:
    """A named fact that one app states and other apps react to, in the same transaction."""

    def __init__(self, name: str, doc: str = "") -> None:
        if name in _declared:
            raise ValueError(f"The fact {name!r} is declared twice.")
        self.name = name
        self.doc = doc
        self._reactions: list[Reaction] = []
        _declared[name] = self

    def __repr__(self) -> str:
        return f"Fact({self.name!r})"

    def react(self, reaction: Reaction) -> None:
        """Register a reaction; registering the same one again is a no-op (ready() may rerun)."""
        if reaction not in self._reactions:
            self._reactions.append(reaction)

    def state(self, **facts: Any) -> None:
        """The fact became true in the current transaction: run every reaction with it."""
        for reaction in list(self._reactions):
            reaction(**facts)

    @property
    def reactions(self) -> tuple[Reaction, ...]:
        return tuple(self._reactions)

    @contextmanager
    def observed(self) -> Iterator[list[dict[str, Any]]]:
        """For tests: collect every statement of the fact made inside the block."""
        heard: list[dict[str, Any]] = []

        def listen(**facts: Any) -> None:
            heard.append(facts)

        self._reactions.append(listen)
        try:
            yield heard
        finally:
            self._reactions.remove(listen)


def declared() -> dict[str, Fact]:
    """Every declared fact by name (what reacts to what, for docs and checks)."""
    return dict(_declared)
