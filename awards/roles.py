"""Permissions of each role on awards (rows are narrowed by scoping).

Data entry and unit administrators propose and prepare decisions; deciding on a proposal and
issuing a decision need the extra permissions below, which only unit administrators hold,
and the services check as well that the user belongs to the unit above (or the issuing
unit). Leaders view.
"""

from associations.models import Role

_PREPARE = ("view", "add", "change", "delete")

PERMISSIONS = {
    Role.UNIT_ADMIN: {
        "awards.proposal": (*_PREPARE, "decide"),
        "awards.proposalrecipient": _PREPARE,
        "awards.proposalevent": ("view",),
        "awards.awarddecision": (*_PREPARE, "issue"),
        "awards.recipient": _PREPARE,
        "awards.issuableform": ("view",),
        "awards.certificatelayout": ("view",),
    },
    Role.DATA_ENTRY: {
        "awards.proposal": ("view", "add", "change"),
        "awards.proposalrecipient": _PREPARE,
        "awards.proposalevent": ("view",),
        "awards.awarddecision": ("view", "add", "change"),
        "awards.recipient": _PREPARE,
    },
}
