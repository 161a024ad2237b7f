"""Every page carries a Content-Security-Policy and a referrer policy, and its links to other sites
rel="noopener noreferrer" (`_csp.py` says what and why).

The policy is computed from each page's final HTML, so the hashes of its inline scripts are those
of the scripts it really contains; on_post_page runs after every other hook has changed the page.
The 404 page is a theme template (on_post_template); the redirect pages of permalinks/aliases.yml
get theirs where they are written (`_permalinks.write_redirects`).
"""

from __future__ import annotations

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


@event_priority(-100)
def on_post_template(output_content, template_name, config):
    if not template_name.endswith(".html"):
        return output_content  # sitemap.xml and other non-HTML templates
    return with_policy(output_content, config.site_url or "")
