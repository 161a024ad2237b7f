"""Material's script starts without restyling the whole page for its colour scheme (issue #18).

On load, Material's palette component appends a `<meta name="color-scheme">` to the head and then
writes into it the scheme the header is drawn in. Chromium restyles every element of the document
for each of these two changes, even when the page's scheme stays the same (a "PlatformColorChange"
in the trace): two full restyles inside the bundle's start-up task, about 8 ms each on a chapter and
18 ms on the bibliography before the 4x slowdown of Lighthouse's mobile run (benchmarks/first_paint.py).

So each page carries that meta with the scheme of its first palette (overrides/main.html), and the
bundle of every edition is patched on_post_build to use the page's meta instead of appending one,
and to write into it only a scheme that differs (a reader who chose the dark palette, or whose
system prefers it). Toggling the palette still updates it. Each patch is an exact piece of
Material's minified bundle; when an upgrade of Material changes it, the build stops and names it.
The root's classes, which the bundle also sets on load, need no patch: overrides/main.html gives
them before the body is parsed, and the bundle's writes then change nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _engine import PluginError  # noqa: E402

BUNDLE = re.compile(r"^bundle\.[0-9a-f]+\.min\.js$")  # Material's, named by content hash
SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=\S+\s*$")

# (Material's text, ours, why)
PATCHES = [
    ('let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);',
     'let o=document.querySelector("meta[name=color-scheme]")||x("meta",{name:"color-scheme"});o.isConnected||document.head.appendChild(o);',
     "use the page's color-scheme meta instead of appending a second one"),
    ("return o.content=a.colorScheme,",
     "return o.content!==a.colorScheme&&(o.content=a.colorScheme),",
     "write the header's scheme into the meta only when it differs"),
]


def patched(text: str, name: str) -> str:
    """`text` (a Material bundle) with every patch applied; a bundle already patched is returned as is."""
    for old, new, why in PATCHES:
        if new in text:
            continue  # this build's copy was patched already (a serve rebuild that kept the file)
        if text.count(old) != 1:
            raise PluginError(f"assets/javascripts/{name}: Material's code for the patch '{why}' "
                              f"(hooks/theme_script.py) is not there once; update the patch for this version of Material")
        text = text.replace(old, new)
    return text


def on_post_build(config):
    folder = Path(config.site_dir) / "assets" / "javascripts"
    bundles = [p for p in folder.glob("bundle.*.min.js") if BUNDLE.match(p.name)] if folder.is_dir() else []
    if len(bundles) != 1:
        raise PluginError(f"{folder}: expected Material's one bundle.<hash>.min.js, found {len(bundles)} (hooks/theme_script.py)")
    bundle = bundles[0]
    text = bundle.read_text(encoding="utf-8")
    result = patched(text, bundle.name)
    if result != text:
        # The source map describes Material's file, not this one: both it and the reference go.
        bundle.write_text(SOURCE_MAP.sub("", result), encoding="utf-8")
        bundle.with_name(bundle.name + ".map").unlink(missing_ok=True)
