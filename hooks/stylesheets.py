"""What a reader's browser waits for before the first paint: the stylesheets (issue #18).

- The site's own stylesheets (`extra_css`, assets/site.css) are small and style what the first
  paint shows (reference lists, links, tables): each page carries them in a `<style>` element instead
  of a `<link>`, so the first paint waits for one request less. overrides/base.html writes the
  `<style>` from `inline_css` (path -> text, set here on_env); hooks/csp.py lists its hash in the
  page's style-src, as it does for inline scripts, so the policy stays `'self'` plus hashes.
- Material's stylesheets in each edition lose the rules its pages and scripts cannot use
  (`_unused_css.py` says how and why), on_post_build, once every page and script is written. The
  source maps of the pruned files are removed, since they describe Material's full files.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import tinycss2

sys.path.insert(0, str(Path(__file__).parent))
from _engine import PluginError  # noqa: E402
import _memo  # noqa: E402
import _unused_css  # noqa: E402
from _unused_css import names_in_html, names_in_script, prune  # noqa: E402

log = logging.getLogger("mkdocs.hooks.stylesheets")
MATERIAL_CSS = re.compile(r"^(main|palette)\.[0-9a-f]+\.min\.css$")  # Material's, named by content hash


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
    return env


def on_post_build(config):
    site = Path(config.site_dir)
    folder = site / "assets" / "stylesheets"
    targets = sorted(p for p in folder.glob("*.min.css") if MATERIAL_CSS.match(p.name)) if folder.is_dir() else []
    if not targets:
        return  # another theme, or Material renamed its files: nothing pruned, nothing broken
    names: set[str] = set()
    # What each file can use, remembered by its text (`_memo`): a serve rebuild reads only changed pages.
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        names |= _memo.remember("css-names-html", (text,), lambda: names_in_html(text), code=(_unused_css.__file__,))
    for script in site.rglob("*.js"):
        text = script.read_text(encoding="utf-8", errors="replace")
        names |= _memo.remember("css-names-js", (text,), lambda: names_in_script(text), code=(_unused_css.__file__,))
    own = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css") if p not in targets)
    before = {p.name: p.read_text(encoding="utf-8") for p in targets}
    after = prune(before, names, own)
    for path in targets:
        path.write_text(after[path.name], encoding="utf-8")
        path.with_name(path.name + ".map").unlink(missing_ok=True)
    log.info("stylesheets: Material's pruned from %d to %d KB", sum(map(len, before.values())) // 1024,
             sum(map(len, after.values())) // 1024)
