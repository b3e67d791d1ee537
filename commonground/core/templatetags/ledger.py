from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# How an audit action reads to a person. Unknown actions fall back to "verb object".
ACTION_LABELS = {
    "partnership.create": _("created the partnership"),
    "partnership.update": _("edited the partnership"),
    "partner.add": _("added a partner"),
    "partner.update": _("changed a partner"),
    "partner.remove": _("removed a partner"),
    "seat.create": _("gave a seat"),
    "seat.update": _("changed a role"),
    "seat.revoke": _("revoked a seat"),
    "invitation.create": _("sent an invitation"),
    "invitation.revoke": _("withdrew an invitation"),
    "invitation.accept": _("accepted an invitation"),
    "organisation.create": _("added an organisation"),
    "organisation.update": _("edited an organisation"),
    "evaluation.create": _("recorded an evaluation session"),
    "recommendation.complete": _("marked a recommendation done"),
    "recommendation.reopen": _("marked a recommendation open again"),
    "results_import.retry": _("tried an interrupted import again"),
}


@register.filter
def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    noun, _, verb = action.partition(".")
    return f"{verb.replace('.', ' ')} {noun}".strip()
