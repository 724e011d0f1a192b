"""Permissions of each role on learning-model data (rows are narrowed by scoping)."""

from associations.models import Role

_ALL = ("view", "add", "change", "delete")

PERMISSIONS = {
    Role.UNIT_ADMIN: {
        "reports.registration": _ALL,
        "reports.assessment": _ALL,
        "reports.assessmentscore": _ALL,
        "reports.householdcount": _ALL,
        "reports.importjob": ("view", "add"),
        # Criteria sets are shared by every unit, so only unit administrators change them.
        "reports.criteriaset": _ALL,
        "reports.criteriaitem": _ALL,
    },
    Role.DATA_ENTRY: {
        "reports.registration": _ALL,
        "reports.assessment": _ALL,
        "reports.assessmentscore": _ALL,
        "reports.householdcount": _ALL,
        "reports.importjob": ("view", "add"),
        "reports.criteriaset": ("view",),
        "reports.criteriaitem": ("view",),
    },
}
