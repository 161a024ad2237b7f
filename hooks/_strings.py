"""UI strings and dates in the reader's language: one source for every hook and template.

Strings come from hooks/strings.yml. Dates are formatted by Babel (CLDR data, installed with
Material), never by hand-written month tables; the browser formats with `Intl.DateTimeFormat`,
which uses the same CLDR data.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from babel.dates import format_date as _babel_format_date

from _shared import fail, load_yaml

STRINGS_FILE = Path(__file__).with_name("strings.yml")
LANGS = ("id", "en")


@functools.cache
def _all() -> dict[str, dict[str, str]]:
    data = load_yaml(STRINGS_FILE.read_text(encoding="utf-8")) or {}
    for name, texts in data.items():
        if not isinstance(texts, dict) or set(texts) != set(LANGS) or not all(isinstance(t, str) and t for t in texts.values()):
            raise fail(STRINGS_FILE, None, f"string '{name}' needs a non-empty text for each of {', '.join(LANGS)}")
    return data


def strings(lang: str) -> dict[str, str]:
    """Every UI string in one language: name -> text."""
    return {name: texts[lang] for name, texts in _all().items()}


def text(name: str, lang: str) -> str:
    try:
        return _all()[name][lang]
    except KeyError:
        raise fail(STRINGS_FILE, None, f"no string '{name}' for language '{lang}'") from None


def format_date(value: str | dt.date, lang: str) -> str:
    """A calendar date in running text: `1 Desember 2026` / `December 1, 2026`.

    Partial ISO dates keep their precision: `1984-01` -> `Januari 1984`, `2004` -> `2004`.
    """
    if isinstance(value, dt.date):
        return _babel_format_date(value, format="long", locale=lang)
    parts = value.split("-")
    if len(parts) == 1:
        return value
    if len(parts) == 2:
        return _babel_format_date(dt.date(int(parts[0]), int(parts[1]), 1), format="LLLL y", locale=lang)
    return _babel_format_date(dt.date.fromisoformat(value), format="long", locale=lang)
