"""The project's Vietnamese catalogs: the committed .mo files say what the .po files say."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES"
_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?) "(.*)"$')


def _unquote(text: str) -> str:
    return re.sub(r'\\(["\\n])', lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def po_entries(path: Path) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        match = _LINE.match(line)
        if match:
            if match.group(1) in {"msgctxt", "msgid"} and "msgstr" in "".join(current):
                entries.append(current)
                current = {}
            key = match.group(1)
            current[key] = _unquote(match.group(2))
        elif line.startswith('"') and key:
            current[key] += _unquote(line[1:-1])
    if current:
        entries.append(current)
    return [e for e in entries if e.get("msgid")]


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalog_matches_its_source(domain):
    with (LOCALE / f"{domain}.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)

    for entry in po_entries(LOCALE / f"{domain}.po"):
        translated = entry.get("msgstr", entry.get("msgstr[0]"))
        if "msgid_plural" in entry:
            got = (
                catalog.npgettext(entry["msgctxt"], entry["msgid"], entry["msgid_plural"], 1)
                if "msgctxt" in entry
                else catalog.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            )
        elif "msgctxt" in entry:
            got = catalog.pgettext(entry["msgctxt"], entry["msgid"])
        else:
            got = catalog.gettext(entry["msgid"])
        assert got == translated, (
            f"{domain}.mo is older than {domain}.po (msgfmt): {entry['msgid']}"
        )
