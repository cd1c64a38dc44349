"""Typed settings, read once (from ``TALAP_*`` environment variables) and passed in.

They fail fast: a production start without a real signing key, a missing key or trust-root file,
a templates or legal folder that is not there — each is refused with the variable to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.bundled import bundled_dir


class SmsGatewaySettings(BaseModel):
    """One SMS gateway (``TALAP_SMS_GATEWAYS`` is a JSON list of these)."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$", description="in the callback URL")
    url: str = Field(pattern=r"^https?://", description="where messages are POSTed")
    callback_secret: SecretStr = Field(min_length=16, description="HMAC key of its reports")
    token: SecretStr | None = Field(default=None, description="sent as a Bearer token")
    user: str | None = Field(default=None, description="HTTP Basic, with password")
    password: SecretStr | None = None
    sender: str | None = Field(default=None, max_length=11, description="alphanumeric sender")
    timeout: float = Field(default=10.0, gt=0, le=120, description="seconds per request")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TALAP_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Field(default=Path("data"), description="database, archive and dev key")
    database_url: str | None = Field(default=None, description="default: SQLite in data_dir")
    database_schema: str | None = Field(default=None, description="PostgreSQL search_path")
    signing_key: Path | None = Field(default=None, description="PKCS#12 file for production")
    signing_key_passphrase: SecretStr | None = None
    trust_roots: list[Path] = Field(default_factory=list, description="extra trusted CA (DER/PEM)")
    public_url: str = "http://127.0.0.1:8000"
    trusted_proxies: str = Field(
        default="127.0.0.1",
        description="addresses (comma-separated; * for any) whose X-Forwarded-Proto and "
        "X-Forwarded-For are believed: a request they forward over TLS gets Secure cookies",
    )
    templates_dir: Path = Field(default_factory=lambda: bundled_dir("templates"))
    legal_dir: Path = Field(default_factory=lambda: bundled_dir("legal"))
    payment_days: int = Field(default=10, ge=1, le=90, description="deadline after issue date")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    archive: Literal["local", "s3"] = Field(
        default="local", description="where signed PDFs and proofs are kept: data_dir or S3"
    )
    s3_endpoint_url: str | None = Field(
        default=None, pattern=r"^https?://", description="MinIO, Ceph …; unset: AWS"
    )
    s3_bucket: str | None = Field(default=None, description="the archive's bucket (must exist)")
    s3_region: str | None = None
    s3_access_key_id: str | None = Field(default=None, description="unset: boto3's own chain")
    s3_secret_access_key: SecretStr | None = None
    s3_prefix: str = Field(
        default="", pattern=r"^([A-Za-z0-9._-]+/)*$", description="key prefix, e.g. talap/"
    )
    s3_lock_days: int = Field(
        default=0,
        ge=0,
        le=36500,
        description="object lock retention of each archived object where the bucket has object "
        "lock; 0: none set (a COMPLIANCE retention cannot be shortened by anyone)",
    )
    s3_lock_mode: Literal["COMPLIANCE", "GOVERNANCE"] = "COMPLIANCE"
    archive_sweep_seconds: float = Field(
        default=900,
        ge=0,
        description="promote what a failed promotion left staged; 0: only at start",
    )
    checkpoint_seconds: float = Field(
        default=3600,
        ge=0,
        description="sign a checkpoint of each audit log that grew, this often; 0: only on demand",
    )
    auth_failure_limit: int = Field(
        default=30,
        ge=0,
        description="answers of 401 to one client within auth_failure_window_seconds after "
        "which its requests get 429 with Retry-After; 0 turns this off",
    )
    auth_failure_window_seconds: int = Field(
        default=60, ge=1, le=86_400, description="the window auth_failure_limit counts in"
    )
    max_writers: int = Field(
        default=8, ge=1, le=32, description="writing requests in flight per process"
    )
    queue: Literal["auto", "sqlite", "postgresql", "memory"] = Field(
        default="auto",
        description="the job queue's store: auto = a SQLite file in data_dir on SQLite, the "
        "database itself on PostgreSQL; memory = this process only (development)",
    )
    queue_workers: int = Field(default=1, ge=1, le=32, description="consumer threads")
    outbox_lease_seconds: float = Field(
        default=300, gt=0, description="how long a claimed item is held before another worker "
        "may take it (a worker that died)"
    )  # fmt: skip
    outbox_max_attempts: int = Field(default=12, ge=1, le=100)
    batch_chunk_size: int = Field(
        default=32, ge=1, le=1000, description="items of a batch per job (a chunk a worker "
        "takes); 32 is one group commit of the bulk issuing path"
    )  # fmt: skip
    render_batch: int = Field(
        default=1, ge=1, le=32, description="notices bulk issuing lays out in one Typst compile "
        "(split into one PDF/A each); 1: one compile a notice. Measured on the bundled 2–3-page "
        "notices: 8 a compile saved no CPU and tripled memory (README, Batches)"
    )  # fmt: skip
    batch_lease_seconds: float = Field(
        default=60, gt=0, description="how long a worker holds a batch chunk before another "
        "may take it (one that died): renewed as the chunk's groups commit"
    )  # fmt: skip
    outbox_retry_base_seconds: float = Field(default=30, gt=0)
    outbox_retry_cap_seconds: float = Field(default=6 * 3600, gt=0)
    smtp_host: str | None = Field(default=None, description="e-mail out; unset: no e-mail")
    smtp_port: int | None = Field(
        default=None, ge=1, le=65535, description="25/587/465 by security"
    )
    smtp_from: str | None = Field(default=None, description="From address of notices")
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["none", "starttls", "tls"] = "starttls"
    smtp_return_domain: str | None = Field(
        default=None, description="domain of the per-message return path (default: From's)"
    )
    smtp_timeout: float = Field(default=30, gt=0, le=600)
    max_json_bytes: int = Field(
        default=1024 * 1024,
        ge=16 * 1024,
        le=256 * 1024 * 1024,
        description="largest request body (bytes) of every endpoint not named below (JSON)",
    )
    max_proof_upload_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1024 * 1024,
        le=1024 * 1024 * 1024,
        description="largest delivery or return-receipt upload (bytes), all its proofs together "
        "(each proof at most 20 MiB)",
    )
    max_template_upload_bytes: int = Field(
        default=11 * 1024 * 1024,
        ge=1024 * 1024,
        le=256 * 1024 * 1024,
        description="largest template version upload (bytes): a source of at most 10 MiB and "
        "its form",
    )
    max_batch_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1024 * 1024,
        le=1024 * 1024 * 1024,
        description="largest batch (bytes): its JSON items or the uploaded export",
    )
    max_message_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024 * 1024,
        le=256 * 1024 * 1024,
        description="largest raw e-mail message (bytes) posted as a bounce report",
    )
    render_max_pages: int = Field(
        default=100, ge=1, le=10_000, description="most pages a rendered document may have"
    )
    render_timeout_seconds: float = Field(
        default=120, gt=0, le=3600, description="longest a document may take to render"
    )
    verify_upload_limit: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        le=200 * 1024 * 1024,
        description="largest PDF (bytes) the public verification page accepts for comparison",
    )

    sms_gateways: list[SmsGatewaySettings] = Field(
        default_factory=list, description="SMS gateways (JSON list); the first one sends"
    )
    sms_gateway_url: str | None = Field(default=None, description="one gateway, without JSON")
    sms_gateway_name: str = "default"
    sms_gateway_token: SecretStr | None = None
    sms_gateway_user: str | None = None
    sms_gateway_password: SecretStr | None = None
    sms_gateway_callback_secret: SecretStr | None = None
    sms_gateway_sender: str | None = None
    sms_timeout: float = Field(default=10.0, gt=0, le=120)
    webhook_timeout: float = Field(
        default=10.0, gt=0, le=60, description="seconds a webhook receiver has to answer"
    )
    webhook_private_targets: bool = Field(
        default=False,
        description="let webhooks post to hosts that resolve to loopback, private or link-local "
        "addresses (an on-premises receiver, tests); off, such a delivery is refused",
    )

    @model_validator(mode="after")
    def _fail_fast(self) -> Settings:
        problems = []
        try:
            names = [g.name for g in self.sms_gateway_list()]
        except ValueError as exc:
            problems.append(str(exc))
        else:
            if len(set(names)) != len(names):
                problems.append(f"TALAP_SMS_GATEWAYS: a gateway name is used twice: {names}")
        if self.environment == "production" and self.signing_key is None:
            problems.append(
                "TALAP_ENVIRONMENT=production needs TALAP_SIGNING_KEY (a PKCS#12 file); the "
                "development key is refused"
            )
        if self.signing_key is not None and not self.signing_key.is_file():
            problems.append(f"TALAP_SIGNING_KEY: no file at {self.signing_key}")
        for root in self.trust_roots:
            if not root.is_file():
                problems.append(f"TALAP_TRUST_ROOTS: no certificate file at {root}")
        if self.archive == "s3" and not self.s3_bucket:
            problems.append("TALAP_ARCHIVE=s3 needs TALAP_S3_BUCKET (an existing bucket)")
        if bool(self.s3_access_key_id) != bool(self.s3_secret_access_key):
            problems.append(
                "TALAP_S3_ACCESS_KEY_ID and TALAP_S3_SECRET_ACCESS_KEY go together (or neither: "
                "boto3's own credential chain)"
            )
        if self.smtp_host and not self.smtp_from:
            problems.append("TALAP_SMTP_HOST needs TALAP_SMTP_FROM (the notices' From address)")
        folders = {"TALAP_TEMPLATES_DIR": self.templates_dir, "TALAP_LEGAL_DIR": self.legal_dir}
        for name, folder in folders.items():
            if not folder.is_dir():
                problems.append(f"{name}: no folder at {folder}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def sms_gateway_list(self) -> list[SmsGatewaySettings]:
        """``TALAP_SMS_GATEWAYS``, then the one ``TALAP_SMS_GATEWAY_*`` gateway if a URL is set
        (it needs ``TALAP_SMS_GATEWAY_CALLBACK_SECRET``: reports are refused without one)."""
        gateways = list(self.sms_gateways)
        if self.sms_gateway_url:
            secret = self.sms_gateway_callback_secret
            if secret is None:
                raise ValueError(
                    "TALAP_SMS_GATEWAY_URL needs TALAP_SMS_GATEWAY_CALLBACK_SECRET (at least 16 "
                    "characters): delivery reports are authenticated with it"
                )
            try:
                gateways.append(
                    SmsGatewaySettings(
                        name=self.sms_gateway_name,
                        url=self.sms_gateway_url,
                        callback_secret=secret,
                        token=self.sms_gateway_token,
                        user=self.sms_gateway_user,
                        password=self.sms_gateway_password,
                        sender=self.sms_gateway_sender,
                        timeout=self.sms_timeout,
                    )
                )
            except ValueError as exc:
                raise ValueError(f"TALAP_SMS_GATEWAY_*: {exc}") from None
        return gateways

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'talap.db').resolve()}"

    @property
    def queue_file(self) -> Path:
        return self.data_dir / "queue.db"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    def read_trust_roots(self) -> tuple[bytes, ...]:
        """The configured trust roots as DER, read once at startup."""
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import Encoding

        roots = []
        for path in self.trust_roots:
            data = path.read_bytes()
            if b"-----BEGIN" in data:
                data = x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)
            else:
                x509.load_der_x509_certificate(data)  # refuse a file that is no certificate
            roots.append(data)
        return tuple(roots)
