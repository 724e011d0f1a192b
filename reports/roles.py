"""Permissions of each role on periodic reports (rows are narrowed by scoping).

Data entry and unit administrators fill and submit their unit's report; "approve" lets them
approve, return or reopen the reports of the units below, and only when they are staff of the
unit above on the period's date (reports/services.py `can_approve`). Leaders view only.
Periods and the form are shared by every unit: the admin lets only top-level administrators
change them (reports/admin.py).
"""

from associations.models import Role

_FILL = ("view", "add", "change", "approve")

PERMISSIONS = {
    Role.UNIT_ADMIN: {
        "reports.report": _FILL,
        "reports.reportvalue": ("view",),
        "reports.reportevent": ("view",),
        "reports.reportingperiod": ("view", "add", "change"),
        "reports.formversion": ("view", "add", "change"),
        "reports.indicator": ("view", "add", "change", "delete"),
        "reports.formrule": ("view", "add", "change", "delete"),
    },
    Role.DATA_ENTRY: {
        "reports.report": _FILL,
        "reports.reportvalue": ("view",),
        "reports.reportevent": ("view",),
        "reports.reportingperiod": ("view",),
        "reports.formversion": ("view",),
        "reports.indicator": ("view",),
        "reports.formrule": ("view",),
    },
}
