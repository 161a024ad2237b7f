"""What a reader's browser waits for before the first paint: the stylesheets (issue #18).

- The site's own stylesheets (`extra_css`, assets/site.css) are small and style what the first
  paint shows (reference lists, links, tables): each page carries them in a `<style>` element instead
  of a `<link>`, so the first paint waits for one request less. overrides/base.html writes the
  `<style>` from `inline_css` (path -> text, set here on_env); hooks/csp.py lists its hash in the
  page's style-src, as it does for inline scripts, so the policy stays `'self'` plus hashes.
  Each page's copy keeps only the rules that can match on that page (on_post_page, by the same
  `_unused_css.prune` as Material's files, with the names in the page's final HTML and in every script
  of the edition, which add classes at run time, and the names later build steps write, such as
  the PDF page markers of the paragraph permalinks): a chapter carries 7 of the 17 KB, 2.0 of 3.8 KB gzip.
  Sound because nothing brings another page's markup into a page (no instant navigation; link
  previews are text); tests/test_unused_css_browser.py compares every element's style with the whole
  stylesheet's.
- Material's stylesheets in each edition lose the rules its pages and scripts cannot use
  (`_unused_css.py` says how and why), on_post_build, once every page and script is written; of the
  scripts' words, only those they can set where their feature is in use count (`_material_features.py`:
  main.css 14.1 -> 9.2 KB gzip). The
  source maps of the pruned files are removed, since they describe Material's full files.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import tinycss2

sys.path.insert(0, str(Path(__file__).parent))
from _engine import PluginError, event_priority  # noqa: E402
import _memo  # noqa: E402
import _paragraphs  # noqa: E402
import _unused_css  # noqa: E402
from _material_features import edition_of, script_names_in_use  # noqa: E402
from _unused_css import names_in_html, names_in_script, prune  # noqa: E402

log = logging.getLogger("mkdocs.hooks.stylesheets")
MATERIAL_CSS = re.compile(r"^(main|palette)\.[0-9a-f]+\.min\.css$")  # Material's, named by content hash
MATERIAL_BUNDLE = re.compile(r"^bundle\.[0-9a-f]+\.min\.js$")  # its script (hooks/theme_script.py patches it)


def on_env(env, config, files):
    inline = {}
    for path in config.extra_css:
        file = files.get_file_from_path(path)
        if file is None:
            continue  # a stylesheet on another site, or MkDocs reports the missing file itself
        source = file.content_string
        text = _memo.remember("inline-css", (source,), lambda: tinycss2.serialize(
            tinycss2.parse_stylesheet(source, skip_comments=True)).strip(), code=(__file__,))
        if "</" in text or "url(" in text:
            # A page cannot hold "</style" in a <style>; url() would resolve against each page, not the file.
            raise PluginError(f"{file.src_uri}: cannot be inlined into the pages (it contains '</' or url()); "
                              "move that rule to a stylesheet of its own that is not in extra_css")
        inline[path] = text
    env.globals["inline_css"] = inline
    # What the per-page pruning needs besides the page: the names every script of the edition can set
    # at run time, and Material's stylesheets, whose rules may use custom properties the site's define.
    scripts = [f for f in files if f.src_uri.endswith(".js")]
    material = [f for f in files if MATERIAL_CSS.match(f.src_uri.rsplit("/", 1)[-1])]
    script_names = frozenset().union(*(_memo.remember("css-names-js", (f.content_string,), lambda f=f: names_in_script(f.content_string),
                                                      code=(_unused_css.__file__,)) for f in scripts))
    material_css = "".join(f.content_string for f in material)
    # Digests for the per-page memo keys: hashing these (150 KB of Material's CSS) for every page cost more than the rest.
    _PAGE_PRUNING[config.site_dir] = (inline, script_names, material_css,
                                      _memo.key(*sorted(script_names), material_css))  # a set's repr has no stable order
    return env


# site_dir -> (inline_css, names in the scripts, Material's CSS, a digest of those names and that CSS): on_env's findings
_PAGE_PRUNING: dict[str, tuple[dict[str, str], frozenset[str], str, str]] = {}


@event_priority(-95)  # after every hook that changes the page, before hooks/csp.py hashes its <style>
def on_post_page(output, page, config):
    return _pruned_inline_css(output, config)


@event_priority(-95)
def on_post_template(output_content, template_name, config):
    if not template_name.endswith(".html"):
        return output_content
    return _pruned_inline_css(output_content, config)


def _pruned_inline_css(html: str, config) -> str:
    """The page with each inlined site stylesheet cut to the rules that can match on it."""
    inline, script_names, material_css, names_digest = _PAGE_PRUNING.get(config.site_dir, ({}, frozenset(), "", ""))
    for text in inline.values():
        element = f"<style>{text}</style>"
        if element not in html:
            continue  # a template that does not inline it
        html = html.replace(element, "<style>" + _memo.remember(
            "inline-css-page", (html, text, names_digest),
            lambda: prune({"site": text}, names_in_html(html.replace(element, "")) | script_names | _names_added_later(html),
                          material_css)["site"],
            code=(__file__, _unused_css.__file__)) + "</style>")
    return html


def _names_added_later(html: str) -> set[str]:
    """Class names that a step after the build writes into this page: scripts/build_pdf.py puts each
    paragraph's PDF page marker into its permalink (`_paragraphs.fill_pages`) once the PDF exists."""
    return {_paragraphs.CSS_PAGE} if f'class="{_paragraphs.CSS_LINK}"' in html else set()


def on_post_build(config):
    site = Path(config.site_dir)
    folder = site / "assets" / "stylesheets"
    targets = sorted(p for p in folder.glob("*.min.css") if MATERIAL_CSS.match(p.name)) if folder.is_dir() else []
    if not targets:
        return  # another theme, or Material renamed its files: nothing pruned, nothing broken
    html_names: set[str] = set()
    material_names: set[str] = set()  # the words of Material's bundle
    other_names: set[str] = set()  # of every other script (the site's own, Pagefind's)
    # What each file can use, remembered by its text (`_memo`): a serve rebuild reads only changed pages.
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        html_names |= _memo.remember("css-names-html", (text,), lambda: names_in_html(text), code=(_unused_css.__file__,))
    for script in site.rglob("*.js"):
        text = script.read_text(encoding="utf-8", errors="replace")
        words = _memo.remember("css-names-js", (text,), lambda: names_in_script(text), code=(_unused_css.__file__,))
        (material_names if MATERIAL_BUNDLE.match(script.name) else other_names).update(words)
    # Of the bundle's words, only those it can set on these pages (`_material_features`: what was read
    # there); every word of the other scripts counts, as `_unused_css` says.
    names = html_names | other_names | script_names_in_use(material_names, edition_of(config, html_names))
    own = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css") if p not in targets)
    before = {p.name: p.read_text(encoding="utf-8") for p in targets}
    after = prune(before, names, own)
    for path in targets:
        path.write_text(after[path.name], encoding="utf-8")
        path.with_name(path.name + ".map").unlink(missing_ok=True)
    log.info("stylesheets: Material's pruned from %d to %d KB", sum(map(len, before.values())) // 1024,
             sum(map(len, after.values())) // 1024)
