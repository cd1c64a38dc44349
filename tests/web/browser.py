"""A real server on a loopback port for the browser tests, and the Chromium they drive (skipped,
saying why, where Chromium or Playwright is absent)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.served import serving

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "chromium_missing", "serving"]


CHROMIUM = os.environ.get("TALAP_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"]


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set TALAP_TEST_CHROMIUM)"
    return None
