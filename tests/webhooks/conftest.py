"""The webhook tests post to a receiver on loopback: allowed here, refused by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from service.settings import Settings


@pytest.fixture
def settings(tmp_path: Path, database_settings: dict[str, Any]) -> Settings:
    return Settings(data_dir=tmp_path / "data", webhook_private_targets=True, **database_settings)
