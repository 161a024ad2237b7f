"""Every page carries a Content-Security-Policy and a referrer policy, and its links to other sites
rel="noopener noreferrer" (`_csp.py` says what and why).

The policy is computed from each page's final HTML, so the hashes of its inline scripts are those
of the scripts it really contains; on_post_page runs after every other hook has changed the page.
The 404 page is a theme template (on_post_template); the redirect pages of permalinks/aliases.yml
get theirs where they are written (`_permalinks.write_redirects`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _csp  # noqa: E402
import _memo  # noqa: E402
from _engine import event_priority  # noqa: E402


def with_policy(html: str, site_url: str) -> str:
    """`_csp.with_policy`, remembered by the page's HTML: a serve rebuild scans only pages that changed."""
    return _memo.remember("csp", (html, site_url), lambda: _csp.with_policy(html, site_url), code=(_csp.__file__,))


@event_priority(-100)  # last: the HTML as written to disk
def on_post_page(output, page, config):
    return with_policy(output, config.site_url or "")


def on_serve(server, config, builder):
    """`mkdocs serve` adds its live-reload script inline at the end of every page it sends, after the
    build wrote the page's policy, which would block it (and with it live reload). Each page sent gets
    that script's hash added to its policy; the built files stay exactly as a clean build writes them."""
    inject = getattr(server, "_inject_js_into_html", None)
    if inject is None:  # a server that adds no script
        return server

    def inject_allowed(content: bytes, epoch) -> bytes:
        sent = inject(content, epoch)
        body_end = content.rfind(b"</body>") if b"</body>" in content else len(content)
        added = sent[body_end:len(sent) - (len(content) - body_end)]  # what serve put before </body>
        script = re.fullmatch(rb"<script>(.*)</script>", added, re.S)
        if script is None or POLICY_SCRIPTS not in sent:
            return sent
        allowed = POLICY_SCRIPTS + b" " + _csp.script_hash(script.group(1).decode("utf-8")).encode("ascii")
        return sent.replace(POLICY_SCRIPTS, allowed, 1)

    server._inject_js_into_html = inject_allowed
    return server


# The start of every page's script-src (`_csp.DIRECTIVES`), where serve's script hash is added.
POLICY_SCRIPTS = b"script-src 'self'"


@event_priority(-100)
def on_post_template(output_content, template_name, config):
    if not template_name.endswith(".html"):
        return output_content  # sitemap.xml and other non-HTML templates
    return with_policy(output_content, config.site_url or "")
