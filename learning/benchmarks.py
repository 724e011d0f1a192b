"""Import speed: a generated 20,000-row file checked and imported into a throwaway tree.

Everything runs inside a transaction that is rolled back, and the upload goes to a temporary
media folder, so the development data is left as it was.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import connection, transaction
from django.test.utils import override_settings
from openpyxl import Workbook

from associations.models import BranchKind, OrgUnit, OrgUnitKind, StaffAssignment
from learning.demo import _person
from learning.importing import COLUMNS, count_rows, import_check, import_write
from learning.models import ImportJob, ImportStatus, LearningModelKind, Registration

COMMUNES = 10
VILLAGES = 4


class _Rollback(Exception):
    pass


def _tree() -> tuple[OrgUnit, list[str]]:
    root = OrgUnit.add_root(name="Tỉnh hội đo tốc độ", kind=OrgUnitKind.PROVINCE)
    district = root.add_child(name="Huyện hội đo tốc độ", kind=OrgUnitKind.DISTRICT)
    names = []
    for c in range(COMMUNES):
        district.refresh_from_db()
        commune = district.add_child(name=f"Hội Khuyến học xã Đo {c}", kind=OrgUnitKind.COMMUNE)
        names.append(commune.name)
        for v in range(VILLAGES):
            commune.refresh_from_db()
            village = commune.add_child(
                name=f"Chi hội thôn Đo {c}-{v}",
                kind=OrgUnitKind.BRANCH,
                branch_kind=BranchKind.VILLAGE,
            )
            names.append(village.name)
    return district, names


def _write_file(path: Path, rows: int, units: list[str]) -> None:
    import random

    rng = random.Random(2025)
    kinds = [str(label) for label in LearningModelKind.labels]
    # A normal workbook stores shared strings and the sheet size, as files saved by Excel do.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Đăng ký"
    sheet.append([header for _name, header in COLUMNS])
    for i in range(rows):
        kind = kinds[0] if i % 5 else rng.choice(kinds)
        sheet.append(
            [
                kind,
                2025,
                units[i % len(units)],
                f"{_person(rng)} {i}",
                f"Thôn Đo {i % 37}",
                "Đăng ký mới",
                "",
                "",
                "",
                "",
                "",
            ]
        )
    workbook.save(path)


def _n(value: float) -> str:
    """Thousands with a dot, as Vietnamese readers expect."""
    return f"{value:,.0f}".replace(",", ".")


def run(*, stdout: TextIO, rows: int = 20_000, **_options: Any) -> None:
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        started = time.perf_counter()
        try:
            with override_settings(MEDIA_ROOT=tmp, PRIVATE_MEDIA_ROOT=tmp), transaction.atomic():
                district, units = _tree()
                _write_file(path, rows, units)
                generated = time.perf_counter() - started
                user = get_user_model().objects.create(username="do-toc-do", is_staff=True)
                StaffAssignment.objects.create(user=user, unit=district, is_data_entry=True)
                with path.open("rb") as handle:
                    job = ImportJob.objects.create(
                        unit=district,
                        created_by=user,
                        file=File(handle, name="bench.xlsx"),
                        original_name="bench.xlsx",
                        in_background=True,
                        total_rows=rows,
                    )
                c0 = time.process_time()
                t0 = time.perf_counter()
                with path.open("rb") as handle:
                    count_rows(handle)  # what the upload does before the check
                import_check(job=job)
                t1, c1 = time.perf_counter(), time.process_time()
                import_write(job=job)
                t2, c2 = time.perf_counter(), time.process_time()
                added = Registration.objects.filter(import_job=job).count()
                assert job.status == ImportStatus.DONE, job.message
                # A second import of the same file must add nothing.
                job.status = ImportStatus.CHECKED
                again = import_check(job=job)
                t3 = time.perf_counter()
                stdout.write(
                    f"[{vendor}] nhập Excel {_n(rows)} dòng\n"
                    f"  tạo tệp: {generated:.1f} s\n"
                    f"  kiểm tra (xem trước): {t1 - t0:.2f} s, {_n(rows / (t1 - t0))} dòng/s\n"
                    f"  xác nhận (kiểm tra lại với CSDL và ghi): {t2 - t1:.2f} s, "
                    f"{_n(rows / (t2 - t1))} dòng/s\n"
                    f"  tổng (xem trước + xác nhận): {t2 - t0:.2f} s, "
                    f"{_n(rows / (t2 - t0))} dòng/s; "
                    f"đã thêm {added}, lỗi {job.error_rows}\n"
                    f"  thời gian CPU của tiến trình Python: xem trước {c1 - c0:.2f} s, "
                    f"xác nhận {c2 - c1:.2f} s\n"
                    f"  nhập lại cùng tệp: {again.valid_rows} dòng mới, "
                    f"{again.duplicate_rows} đã có ({t3 - t2:.2f} s)\n"
                )
                raise _Rollback
        except _Rollback:
            stdout.write("  (đã hoàn tác: không để lại dữ liệu)\n")
