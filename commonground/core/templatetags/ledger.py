from django import template

register = template.Library()

# How an audit action reads to a person. Unknown actions fall back to "verb object".
ACTION_LABELS = {
    "partnership.create": "created the partnership",
    "partnership.update": "edited the partnership",
    "partner.add": "added a partner",
    "partner.update": "changed a partner",
    "partner.remove": "removed a partner",
    "seat.create": "gave a seat",
    "seat.update": "changed a role",
    "seat.revoke": "revoked a seat",
    "invitation.create": "sent an invitation",
    "invitation.revoke": "withdrew an invitation",
    "invitation.accept": "accepted an invitation",
    "organisation.create": "added an organisation",
    "organisation.update": "edited an organisation",
    "evaluation.create": "recorded an evaluation session",
    "recommendation.complete": "marked a recommendation done",
    "recommendation.reopen": "marked a recommendation open again",
    "results_import.retry": "tried an interrupted import again",
}


@register.filter
def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    noun, _, verb = action.partition(".")
    return f"{verb.replace('.', ' ')} {noun}".strip()
