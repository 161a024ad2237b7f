"""Every built page is valid HTML (Nu HTML Checker, npm `vnu-jar` + Java): 0 errors, nothing filtered.

Material's own templates produce three kinds of errors, fixed by copies of its templates in
overrides/ that differ from upstream only by the patches listed in OVERRIDE_PATCHES below
(more patches there keep every page free of requests to other sites, give hreflang the same page
in each edition and inline the site's own stylesheets):
- `autocomplete="off"` on the drawer and search checkboxes (allowed on text-like inputs only);
- `tabindex=""` on navigation section labels (an empty string is not an integer);
- `<label for="__toc">` on section index pages, where no `__toc` checkbox exists.
The copies go stale when Material changes; `test_template_overrides_match_upstream_plus_patches`
says so, and `uv run python tests/test_html_validity.py` regenerates them from the installed Material.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
OVERRIDES = ROOT / "overrides"

# template (relative to Material's templates/) -> [(upstream text, our text, why)]
OVERRIDE_PATCHES: dict[str, list[tuple[str, str, str]]] = {
    "base.html": [
        (
            '<link rel="icon" href="{{ config.theme.favicon | url }}">',
            '<link rel="icon" href="data:image/svg+xml,{% filter urlencode %}{% include "assets/favicon.svg" %}{% endfilter %}">',
            "the icon is inlined: one request less on every first page load",
        ),
        (
            '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
            '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">',
            "autocomplete is not allowed on checkboxes",
        ),
        (
            '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
            '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">',
            "autocomplete is not allowed on checkboxes",
        ),
        (
            """      {% if config.extra.alternate is iterable %}
        {% for alt in config.extra.alternate %}
          <link rel="alternate" href="{{ alt.link | url }}" hreflang="{{ alt.lang | d(lang.t('language')) }}">
        {% endfor %}
      {% endif %}""",
            """      {% for alt in alternates | d([]) %}
        <link rel="alternate" href="{{ alt.link }}" hreflang="{{ alt.lang }}">
      {% endfor %}""",
            "hreflang points at the same page in each edition (hooks/i18n.py), not at the editions' homes",
        ),
        (
            """    {% for path in config.extra_css %}
      <link rel="stylesheet" href="{{ path | url }}">
    {% endfor %}""",
            """    {% for path in config.extra_css %}
      {% if inline_css and path in inline_css %}
        <style>{{ inline_css[path] }}</style>
      {% else %}
        <link rel="stylesheet" href="{{ path | url }}">
      {% endif %}
    {% endfor %}""",
            "the site's own small stylesheets are inlined (hooks/stylesheets.py): one render-blocking request less",
        ),
        (
            """    {% include "partials/javascripts/base.html" %}
""",
            """    {% include "partials/javascripts/base.html" %}
    {% block scripts %}
      <script defer src="{{ 'assets/javascripts/bundle.a5f9d56c.min.js' | url }}"></script>
      {% for script in config.extra_javascript %}
        {{ script | script_tag }}
      {% endfor %}
    {% endblock %}
""",
            "scripts load from the head with defer (mkdocs.yml marks extra_javascript defer): fetched while the page "
            "is parsed and painted, run in the same order once it is parsed, before DOMContentLoaded (Material's bundle "
            "starts on that event); the first paint waits for no script (benchmarks/lighthouse.py: chapter FCP 1.5 s -> 1.06 s)",
        ),
        (
            """    {% block scripts %}
      <script src="{{ 'assets/javascripts/bundle.a5f9d56c.min.js' | url }}"></script>
      {% for script in config.extra_javascript %}
        {{ script | script_tag }}
      {% endfor %}
    {% endblock %}
""",
            "",
            "(the scripts block moved into the head, above)",
        ),
        (
            '{% include "partials/nav.html" %}',
            '{{ remembered_include("partials/nav.html") }}',
            "the site nav is remembered by what it shows (hooks/incremental.py): a serve rebuild renders one page's, not all",
        ),
    ],
    "partials/nav-item.html": [
        (
            'id="{{ path }}_label" tabindex="{{ tabindex }}">',
            'id="{{ path }}_label"{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>',
            'tabindex="" is not a valid integer',
        ),
    ],
    "partials/source.html": [
        (
            'class="md-source" data-md-component="source">',
            'class="md-source">',
            "without the component, Material does not fetch stars and forks from api.github.com on every page",
        ),
    ],
    "partials/toc.html": [
        (
            '<label class="md-nav__title" for="__toc">',
            '{#- Section index pages (navigation.indexes) and pages outside the nav (the generated "what changed"\n'
            '        pages) have no __toc checkbox to label. -#}\n'
            '    <label class="md-nav__title"{% if page in nav.pages and not (page.is_index and page.parent and "navigation.indexes" in (config.theme.features or [])) %} for="__toc"{% endif %}>',
            "label for= must name an existing control",
        ),
    ],
}
HEADER = "{#- Copy of Material's NAME with the fixes listed in tests/test_html_validity.py; regenerate with `uv run python tests/test_html_validity.py`. -#}\n"


def _material_templates() -> Path:
    import material

    return Path(material.__file__).parent / "templates"


def patched(name: str) -> str:
    """Upstream template `name` with our patches applied; raises if a patch no longer applies."""
    text = (_material_templates() / name).read_text(encoding="utf-8")
    for old, new, why in OVERRIDE_PATCHES[name]:
        if old not in text:
            raise AssertionError(f"overrides/{name}: the upstream text for the patch '{why}' is gone (Material changed?)")
        text = text.replace(old, new)
    return HEADER.replace("NAME", name) + text


def run_vnu(site: Path) -> list[dict]:
    """Run the checker once over the whole site (much faster than a JVM per page); return its messages."""
    from conftest import require_tool

    java = shutil.which("java")
    require_tool("Java", bool(java), "the Nu HTML Checker needs it (apt-get install default-jre-headless)")
    require_tool("vnu-jar", VNU.exists(), f"{VNU.relative_to(ROOT)} comes with `npm ci`")
    proc = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU), "--skip-non-html", "--format", "json", "--exit-zero-always", str(site)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.stderr.strip().startswith("{"), f"vnu did not report JSON: {proc.stderr[:2000]}"
    return json.loads(proc.stderr)["messages"]


def _where(site: Path, message: dict) -> str:
    path = message.get("url", "").removeprefix("file:")
    try:
        path = Path(path).relative_to(site).as_posix()
    except ValueError:
        pass
    return f"{path}:{message.get('lastLine', '?')}"


@pytest.mark.slow  # the Nu HTML Checker (Java) over every page: 14 s (full suite)
def test_every_page_is_valid_html(site_dir):
    messages = run_vnu(site_dir)
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert len(list(site_dir.rglob("*.html"))) > 20, "suspiciously few pages"
    summary = Counter(m["message"] for m in errors)
    report = "\n".join(f"{_where(site_dir, m)}: {m['message']} [{m.get('extract', '').strip()[:80]}]" for m in errors[:60])
    assert errors == [], f"{len(errors)} HTML errors ({dict(summary.most_common(5))}):\n{report}"


@pytest.mark.slow  # starts Java
def test_the_checker_catches_an_error(tmp_path):
    """Guard against a checker that silently checks nothing."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><title>x</title><input type="checkbox" autocomplete="off"><p id=a id=a>x')
    messages = run_vnu(tmp_path)
    assert any(m["type"] == "error" and "autocomplete" in m["message"] for m in messages), messages


def test_template_overrides_match_upstream_plus_patches():
    stale = []
    for name in OVERRIDE_PATCHES:
        ours = OVERRIDES / name
        if not ours.exists() or ours.read_text(encoding="utf-8") != patched(name):
            stale.append(f"overrides/{name}")
    assert stale == [], f"{stale} differ from Material's templates plus our patches: run `uv run python tests/test_html_validity.py`"


if __name__ == "__main__":
    for name in OVERRIDE_PATCHES:
        target = OVERRIDES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(patched(name), encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}", file=sys.stderr)
