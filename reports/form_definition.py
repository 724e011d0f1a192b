"""The built-in report form, as plain data, loaded by a data migration.

Two editions: the form in use before 2022, and the one from 2022 that adds Công dân học tập
(QĐ 677/QĐ-TTg). Later editions are made in the admin, not here.
"""

from __future__ import annotations

from khuyenhoc.staff_cache import bump_version

# (code, name, group, unit of measure, value type, aggregation, learning source)
Row = tuple[str, str, str, str, str, str, str]

_MEMBERS: list[Row] = [
    ("members_total", "Tổng số hội viên", "members", "người", "number", "sum", ""),
    ("members_new", "Hội viên mới kết nạp trong kỳ", "members", "người", "number", "sum", ""),
    ("members_women", "Hội viên nữ", "members", "người", "number", "sum", ""),
    ("population", "Dân số trên địa bàn", "members", "người", "number", "sum", ""),
]

_ORGANISATION: list[Row] = [
    ("org_communes", "Hội cơ sở", "organisation", "đơn vị", "number", "sum", ""),
    (
        "org_branches_village",
        "Chi hội thôn, tổ dân phố",
        "organisation",
        "chi hội",
        "number",
        "sum",
        "",
    ),
    ("org_branches_school", "Chi hội trường học", "organisation", "chi hội", "number", "sum", ""),
    ("org_branches_agency", "Chi hội cơ quan", "organisation", "chi hội", "number", "sum", ""),
    ("org_branches_clan", "Chi hội dòng họ", "organisation", "chi hội", "number", "sum", ""),
    ("org_branches_hometown", "Chi hội đồng hương", "organisation", "chi hội", "number", "sum", ""),
    ("org_committees", "Ban khuyến học", "organisation", "ban", "number", "sum", ""),
    ("org_sub_branches", "Phân hội", "organisation", "phân hội", "number", "sum", ""),
]

# (kind code, title, denominator name, unit of measure, denominator unit, households source)
_MODELS = [
    ("family", "Gia đình học tập", "Tổng số hộ gia đình", "hộ", "hộ", True),
    ("clan", "Dòng họ học tập", "Tổng số dòng họ", "dòng họ", "dòng họ", False),
    ("community", "Cộng đồng học tập", "Tổng số thôn, tổ dân phố", "cộng đồng", "thôn, tổ", False),
    ("unit", "Đơn vị học tập", "Tổng số cơ quan, trường học", "đơn vị", "đơn vị", False),
    ("citizen", "Công dân học tập", "Tổng số công dân trong độ tuổi", "người", "người", False),
]


def _learning_rows(kinds: list[str]) -> list[Row]:
    rows: list[Row] = []
    for kind, title, denominator, measure, denominator_measure, households in _MODELS:
        if kind not in kinds:
            continue
        rows += [
            (
                f"{kind}_registered",
                f"{title}: số đăng ký",
                "learning",
                measure,
                "number",
                "sum",
                f"{kind}:registered",
            ),
            (
                f"{kind}_recognised",
                f"{title}: số được công nhận",
                "learning",
                measure,
                "number",
                "sum",
                f"{kind}:recognised",
            ),
            (
                f"{kind}_denominator",
                f"{title}: {denominator.lower()}",
                "learning",
                denominator_measure,
                "number",
                "sum",
                "family:households" if households else "",
            ),
        ]
    return rows


_REST: list[Row] = [
    ("centres_count", "Trung tâm học tập cộng đồng", "centres", "trung tâm", "number", "sum", ""),
    ("centres_classes", "Lớp học cộng đồng", "centres", "lớp", "number", "sum", ""),
    ("centres_learners", "Lượt người học", "centres", "người", "number", "sum", ""),
    ("fund_start", "Số dư quỹ đầu kỳ", "fund", "đồng", "number", "latest", ""),
    ("fund_raised", "Số tiền huy động trong kỳ", "fund", "đồng", "number", "sum", ""),
    ("fund_spent", "Số tiền chi trong kỳ", "fund", "đồng", "number", "sum", ""),
    ("fund_end", "Số dư quỹ cuối kỳ", "fund", "đồng", "number", "latest", ""),
    ("awards_count", "Suất học bổng, phần thưởng", "awards", "suất", "number", "sum", ""),
    ("awards_pupils", "Học sinh, sinh viên được thưởng", "awards", "người", "number", "sum", ""),
    ("awards_teachers", "Giáo viên được thưởng", "awards", "người", "number", "sum", ""),
    ("awards_amount", "Tổng số tiền học bổng, phần thưởng", "awards", "đồng", "number", "sum", ""),
    (
        "medals",
        "Kỷ niệm chương “Vì sự nghiệp khuyến học” được tặng",
        "medals",
        "người",
        "number",
        "sum",
        "",
    ),
    ("narrative_results", "Kết quả nổi bật", "narrative", "", "text", "none", ""),
    ("narrative_shortcomings", "Tồn tại, hạn chế", "narrative", "", "text", "none", ""),
    ("narrative_proposals", "Đề xuất, kiến nghị", "narrative", "", "text", "none", ""),
]

# (left, operator, right, message)
Rule = tuple[str, str, str, str]

_BASE_RULES: list[Rule] = [
    (
        "fund_end",
        "eq",
        "fund_start + fund_raised - fund_spent",
        "Số dư cuối kỳ phải bằng số dư đầu kỳ + số huy động − số chi.",
    ),
    ("members_women", "le", "members_total", "Số hội viên nữ không được lớn hơn tổng số hội viên."),
    ("members_new", "le", "members_total", "Số hội viên mới không được lớn hơn tổng số hội viên."),
    ("members_total", "le", "population", "Tổng số hội viên không được lớn hơn dân số."),
    (
        "awards_pupils",
        "le",
        "awards_count",
        "Số học sinh được thưởng không được lớn hơn số suất học bổng, phần thưởng.",
    ),
]


def _learning_rules(kinds: list[str]) -> list[Rule]:
    rules: list[Rule] = []
    for kind, title, denominator, *_rest in _MODELS:
        if kind not in kinds:
            continue
        rules += [
            (
                f"{kind}_recognised",
                "le",
                f"{kind}_registered",
                f"{title}: số được công nhận không được lớn hơn số đăng ký.",
            ),
            (
                f"{kind}_registered",
                "le",
                f"{kind}_denominator",
                f"{title}: số đăng ký không được lớn hơn {denominator.lower()}.",
            ),
        ]
    return rules


_KINDS_BEFORE_2022 = ["family", "clan", "community", "unit"]
_KINDS_FROM_2022 = [*_KINDS_BEFORE_2022, "citizen"]

EDITIONS = [
    {
        "name": "Mẫu báo cáo công tác khuyến học",
        "from_year": 2015,
        "indicators": [*_MEMBERS, *_ORGANISATION, *_learning_rows(_KINDS_BEFORE_2022), *_REST],
        "rules": [*_BASE_RULES, *_learning_rules(_KINDS_BEFORE_2022)],
    },
    {
        "name": "Mẫu báo cáo công tác khuyến học (bổ sung Công dân học tập)",
        "from_year": 2022,
        "indicators": [*_MEMBERS, *_ORGANISATION, *_learning_rows(_KINDS_FROM_2022), *_REST],
        "rules": [*_BASE_RULES, *_learning_rules(_KINDS_FROM_2022)],
    },
]


def load_editions(apps: object, schema_editor: object = None) -> None:
    """Create the built-in editions unless a version for the same year exists."""
    form_version = apps.get_model("reports", "FormVersion")  # type: ignore[attr-defined]
    indicator = apps.get_model("reports", "Indicator")  # type: ignore[attr-defined]
    form_rule = apps.get_model("reports", "FormRule")  # type: ignore[attr-defined]
    for edition in EDITIONS:
        version, created = form_version.objects.get_or_create(
            from_year=edition["from_year"], defaults={"name": edition["name"]}
        )
        if not created:
            continue
        indicator.objects.bulk_create(
            indicator(
                form=version,
                code=code,
                name=name,
                group=group,
                unit_of_measure=measure,
                value_type=value_type,
                aggregation=aggregation,
                learning_source=source,
                order=(index + 1) * 10,
            )
            for index, (code, name, group, measure, value_type, aggregation, source) in enumerate(
                edition["indicators"]
            )
        )
        form_rule.objects.bulk_create(
            form_rule(form=version, left=left, operator=op, right=right, message=message)
            for left, op, right, message in edition["rules"]
        )
    # Historical models (in a migration) send no signal the staff figures listen to.
    bump_version()
