"""The Chromium the project drives (tests, PDFs, benchmarks): where it is and how it is started.

Debian's package (`apt-get install chromium`; `playwright install` cannot download here), started
headless for a root user in a container: no sandbox, no GPU, and none of the background
connections that the closed network refuses (component updates, sync, QUIC).
"""

from __future__ import annotations

import os

PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
# For tools that take the flags as one string (Lighthouse's --chrome-flags).
FLAGS = " ".join(["--headless=new", *ARGS])
