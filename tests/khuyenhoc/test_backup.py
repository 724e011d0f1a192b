"""`make backup` / `make restore`: the database and the uploaded files come back as they were.

The same tests run on SQLite (the default suite) and on PostgreSQL (the suite .ci/run runs with
DATABASE_URL): each backs up the database the suite runs on, with that database's own tool.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from khuyenhoc import backup
from khuyenhoc.storage import PrivateStorage
from news.models import Post
from tests.news.helpers import make_post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "site" / "private")
    settings.BACKUP_DIR = tmp_path / "backups"


@pytest.fixture(autouse=True)
def _postgres_tools():
    if connection.vendor == "postgresql" and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        pytest.fail("Bộ kiểm thử chạy trên PostgreSQL nhưng thiếu pg_dump/pg_restore.")


def _back_up(settings) -> Path:
    call_command("backup_site")
    (folder,) = list(Path(settings.BACKUP_DIR).iterdir())
    return folder


def test_backup_then_restore_brings_back_rows_and_files(tree, settings):
    kept = make_post(tree.district, "Lễ khai giảng năm học mới", with_cover=True)
    changed = make_post(tree.district, "Hội nghị tổng kết")
    private = PrivateStorage().save("imports/danh-sach.xlsx", ContentFile(b"danh sach ho"))
    cover_path = Path(kept.cover.path)
    cover_bytes = cover_path.read_bytes()

    folder = _back_up(settings)
    assert {p.name for p in folder.iterdir()} == {
        "manifest.json",
        "media.tar.gz",
        "database.sqlite3" if connection.vendor == "sqlite" else "database.dump",
    }

    # Everything goes wrong after the backup: a row deleted, one changed, one added, files lost.
    Post.objects.filter(pk=kept.pk).delete()
    Post.objects.filter(pk=changed.pk).update(title="Tiêu đề sửa nhầm")
    make_post(tree.district, "Tin thêm sau khi sao lưu")
    cover_path.unlink()
    PrivateStorage().delete(private)
    (Path(settings.MEDIA_ROOT) / "rac.txt").write_text("tệp thêm sau khi sao lưu")

    call_command("restore_site", str(folder), "--no-input")

    assert sorted(Post.objects.values_list("title", flat=True)) == [
        "Hội nghị tổng kết",
        "Lễ khai giảng năm học mới",
    ]
    restored = Post.objects.get(pk=kept.pk)
    assert Path(restored.cover.path).read_bytes() == cover_bytes
    assert PrivateStorage().open(private).read() == b"danh sach ho"
    assert not (Path(settings.MEDIA_ROOT) / "rac.txt").exists()
    # The restored database takes new rows as usual (its sequences came back too).
    assert make_post(tree.district, "Tin sau khi khôi phục").pk not in {kept.pk, changed.pk}


def test_restore_asks_first_and_refuses_without_anyone_to_ask(tree, settings):
    make_post(tree.district, "Tin có trước")
    folder = _back_up(settings)
    make_post(tree.district, "Tin mới")

    # pytest's stdin is not a terminal, as in a cron job without --no-input.
    with pytest.raises(CommandError, match="--no-input"):
        call_command("restore_site", str(folder))

    assert Post.objects.filter(title="Tin mới").exists()


@pytest.mark.parametrize("damage", ["media.tar.gz", "database", "manifest.json", "changed"])
def test_an_incomplete_backup_is_refused_and_nothing_is_touched(tree, settings, damage):
    make_post(tree.district, "Tin có trước", with_cover=True)
    folder = _back_up(settings)
    database = next(p for p in folder.iterdir() if p.name.startswith("database."))
    if damage == "database":
        database.unlink()
    elif damage == "changed":
        with database.open("ab") as handle:
            handle.write(b"\0")
    else:
        (folder / damage).unlink()
    make_post(tree.district, "Tin mới")

    with pytest.raises(CommandError, match=r"không (phải một bản sao lưu )?đầy đủ"):
        call_command("restore_site", str(folder), "--no-input")

    assert Post.objects.filter(title="Tin mới").exists()


def test_a_backup_that_stops_half_way_leaves_no_folder_to_restore(tree, settings, monkeypatch):
    make_post(tree.district, "Tin có trước", with_cover=True)

    def disk_full(target: Path) -> None:
        target.write_bytes(b"\x1f\x8b")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_media_archive", disk_full)
    with pytest.raises(OSError, match="No space left"):
        call_command("backup_site")

    assert list(Path(settings.BACKUP_DIR).iterdir()) == []


def test_backup_dir_can_be_chosen(tree, settings, tmp_path):
    call_command("backup_site", "--dir", str(tmp_path / "elsewhere"))

    (folder,) = list((tmp_path / "elsewhere").iterdir())
    assert backup.backup_read(folder).engine == connection.vendor
    assert not Path(settings.BACKUP_DIR).exists()


class _Terminal:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "restored"), [("khong", False), ("Khoi phuc", True)])
def test_restore_goes_on_only_when_the_person_types_the_word(
    tree, settings, monkeypatch, answer, restored
):
    make_post(tree.district, "Tin có trước")
    folder = _back_up(settings)
    make_post(tree.district, "Tin mới")
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: answer)

    if restored:
        call_command("restore_site", str(folder))
    else:
        with pytest.raises(CommandError, match="Đã huỷ, không thay đổi gì"):
            call_command("restore_site", str(folder))

    assert Post.objects.filter(title="Tin mới").exists() is not restored
