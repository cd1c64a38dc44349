"""The composition root and the settings refuse to start a service that must not run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from service.bootstrap import build_wiring
from service.errors import ConfigurationError
from service.settings import Settings
from tests.conftest import LEGAL


def test_a_cited_provision_missing_from_the_registry_stops_startup(tmp_path: Path) -> None:
    legal = tmp_path / "legal"
    shutil.copytree(LEGAL, legal)
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
    with pytest.raises(ConfigurationError, match="notary-92-6"):
        build_wiring(settings)


def test_production_without_a_signing_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="TALAP_SIGNING_KEY"):
        Settings(environment="production", data_dir=tmp_path)


@pytest.mark.parametrize("field", ["signing_key", "trust_roots"])
def test_a_missing_key_or_trust_root_file_is_refused_at_start(tmp_path: Path, field: str) -> None:
    value = tmp_path / "nowhere.p12"
    with pytest.raises(ValidationError, match=r"no .*file at"):
        Settings(data_dir=tmp_path, **{field: [value] if field == "trust_roots" else value})


def test_the_passphrase_never_shows_in_the_settings(tmp_path: Path) -> None:
    key = tmp_path / "key.p12"
    key.write_bytes(b"not read here")
    settings = Settings(data_dir=tmp_path, signing_key=key, signing_key_passphrase="hunter2")
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings.model_dump())
