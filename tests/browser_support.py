"""Helpers for the browser tests (tests/test_accessibility.py, test_journeys.py, test_search.py).

The test build's site_url has a path (conftest.BUILD_ENV: https://example-org.github.io/example-repo/),
and Material's 404 pages load their assets by absolute path (/example-repo/assets/...), as they
must on GitHub Pages. The test server serves the site at its root, so requests under that path are
answered from the root: the 404 pages then load as they do in production.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from conftest import BUILD_ENV

SITE_PATH = urlsplit(BUILD_ENV["SITE_URL"]).path  # e.g. /example-repo/


def serve_site_path(context, site_server: str) -> None:
    """Answer requests for <server><SITE_PATH>... from <server>... in this browser context."""
    if SITE_PATH in ("", "/"):
        return
    prefix = site_server.rstrip("/") + SITE_PATH
    context.route(prefix + "**", lambda route: route.continue_(url=site_server + route.request.url[len(prefix):]))


def new_context(browser, site_server: str, **options):
    """A browser context on the test server that also serves the site under its site_url path."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(base_url=site_server, **options)
    serve_site_path(context, site_server)
    return context


def settle_animations(page) -> None:
    """Wait until every finite CSS transition and animation on the page has finished. axe reads
    colours as drawn: a search box or tooltip still fading in (Material's opening transitions run
    for up to 0.4 s after the results are in) has text at partial opacity, which axe reports as low
    contrast although the settled page has none."""
    page.evaluate("""() => Promise.all(document.getAnimations()
        .filter(a => a.effect && Number.isFinite(a.effect.getComputedTiming().endTime))
        .map(a => a.finished.catch(() => null)))""")
