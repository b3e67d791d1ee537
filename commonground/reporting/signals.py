"""Signals of the reporting capability: facts other parts of the capability react to, sent
inside the transaction that makes them true (a receiver's writes commit or roll back with it)."""

from django.dispatch import Signal

# A digest was sent to one person for one partnership: kwargs partnership_id, user_id, period_key.
digest_sent = Signal()
