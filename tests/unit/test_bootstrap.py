"""The composition root refuses to start when templates cite provisions legal/ does not have."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.bootstrap import StartupRefused, build_container
from service.settings import PROJECT_ROOT, Settings


def test_a_cited_provision_missing_from_the_registry_stops_startup(tmp_path: Path) -> None:
    legal = tmp_path / "legal"
    shutil.copytree(PROJECT_ROOT / "legal", legal)
    notary = legal / "provisions" / "notary-law.yaml"
    notary.write_text(
        notary.read_text(encoding="utf-8").replace("id: notary-92-6\n", "id: notary-92-6x\n"),
        encoding="utf-8",
    )
    settings = Settings(
        data_dir=tmp_path / "data",
        legal_dir=legal,
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
    )
    with pytest.raises(StartupRefused, match="notary-92-6"):
        build_container(settings)
