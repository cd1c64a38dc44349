"""Typed settings, read once (from ``TALAP_*`` environment variables) and passed in."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TALAP_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Field(default=Path("data"), description="database, archive and dev key")
    database_url: str | None = Field(default=None, description="default: SQLite in data_dir")
    database_schema: str | None = Field(default=None, description="PostgreSQL search_path")
    signing_key: Path | None = Field(default=None, description="PKCS#12 file for production")
    signing_key_passphrase: str | None = None
    trust_roots: list[Path] = Field(default_factory=list, description="extra trusted CA (DER/PEM)")
    public_url: str = "http://127.0.0.1:8000"
    templates_dir: Path = PROJECT_ROOT / "templates"
    legal_dir: Path = PROJECT_ROOT / "legal"
    payment_days: int = Field(default=10, ge=1, le=90, description="deadline after issue date")

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'talap.db').resolve()}"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"
