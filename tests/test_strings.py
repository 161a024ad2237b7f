"""UI strings (hooks/strings.yml): one place, both languages, and every name the code uses exists."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import _strings  # noqa: E402

USES = [
    re.compile(r"""\btext\(\s*["']([a-z_]+)["']\s*[,)]"""),  # text("name", lang)
    re.compile(r"""\bui\[\s*["']([a-z_]+)["']\s*\]"""),  # ui["name"]
    re.compile(r"""\bui\.([a-z_]+)\b"""),  # {{ ui.name }} in templates
    re.compile(r"""\.ui\(\s*["']([a-z_]+)["']"""),  # ctx.ui("name") in the data views: data_<name>
]


def test_every_string_has_both_languages():
    for lang in _strings.LANGS:
        assert len(_strings.strings(lang)) > 40


def test_every_string_the_code_names_exists():
    known = set(_strings.strings("id"))
    missing = []
    for path in sorted([*(ROOT / "hooks").glob("*.py"), *(ROOT / "overrides").rglob("*.html")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern in USES:
                for name in pattern.findall(line):
                    name = "data_" + name if pattern is USES[3] else name
                    if name not in known:
                        missing.append(f"{path.relative_to(ROOT)}:{number}: no string '{name}' in hooks/strings.yml")
    assert missing == []


def test_a_string_without_its_translation_fails(tmp_path, monkeypatch):
    bad = tmp_path / "strings.yml"
    bad.write_text("greeting: {id: Halo}\n", encoding="utf-8")
    monkeypatch.setattr(_strings, "STRINGS_FILE", bad)
    _strings._all.cache_clear()
    try:
        with pytest.raises(Exception, match=r"strings\.yml: string 'greeting' needs a non-empty text for each of id, en"):
            _strings.strings("id")
    finally:
        _strings._all.cache_clear()


def test_dates_follow_the_language():
    assert _strings.format_date("2026-12-01", "id") == "1 Desember 2026"
    assert _strings.format_date("2026-12-01", "en") == "December 1, 2026"
    assert _strings.format_date("1984-01", "id") == "Januari 1984"
    assert _strings.format_date("2004", "en") == "2004"
