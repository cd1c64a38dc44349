"""The composition root: settings in, wired adapters out. Nothing happens at import time."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

from service.clock import Clock, SystemClock
from service.db.engine import make_engine, migrate
from service.db.unit_of_work import Database
from service.domain.calendar import WorkCalendar
from service.domain.penalty import PenaltyPolicy
from service.domain.rules import Rulebook
from service.legal.data import load_calendar, load_penalty_policy
from service.legal.provisions import Provision, load_provisions
from service.legal.rules import load_rulebook
from service.ports import Archive, Renderer, Signer
from service.rendering.schema import cited_provisions
from service.rendering.versions import template_version
from service.settings import Settings

CITING = [(kind, None) for kind in ("reminder", "warning", "restructuring")] + [
    ("pretrial", "notary"),
    ("pretrial", "court"),
]


class StartupRefused(RuntimeError):
    """Configuration that must not run (e.g. production with a development key)."""


@dataclass
class Container:
    settings: Settings
    clock: Clock
    db: Database
    archive: Archive
    calendar: WorkCalendar
    penalty_policy: PenaltyPolicy
    provisions: dict[str, Provision]
    rulebook: Rulebook
    _renderer: Renderer | None = None
    _signer: Signer | None = None
    _lock: Lock = field(default_factory=Lock)
    _template_versions: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def renderer(self) -> Renderer:
        # Built on first use: CLI commands that never render skip loading fonts and Typst.
        with self._lock:
            if self._renderer is None:
                from service.rendering.typst_renderer import TypstRenderer

                self._renderer = TypstRenderer(self.settings.templates_dir)
            return self._renderer

    @property
    def signer(self) -> Signer:
        with self._lock:
            if self._signer is None:
                self._signer = build_signer(self.settings)
            return self._signer

    def trust_roots(self) -> list[bytes]:
        roots = [self.signer.certificate_der]
        roots.extend(_read_certificate(path) for path in self.settings.trust_roots)
        return roots

    def template_version(self, kind: str, language: str) -> str:
        """The bundled template's content-hash version, hashed once per process (the files do
        not change under a running service; a new version means a new deployment)."""
        key = (kind, language)
        if key not in self._template_versions:
            self._template_versions[key] = template_version(
                self.settings.templates_dir, kind, language
            )
        return self._template_versions[key]

    def verify_url(self, document_id: str) -> str:
        return f"{self.settings.public_url.rstrip('/')}/v1/documents/{document_id}/verify"


def build_container(settings: Settings, clock: Clock | None = None) -> Container:
    """Create the data directory, migrate the database and wire every adapter."""
    from service.archive.local import LocalArchive

    if settings.environment == "production" and settings.signing_key is None:
        raise StartupRefused(
            "production needs TALAP_SIGNING_KEY (a PKCS#12 file); the development key is refused"
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url(), schema=settings.database_schema)
    migrate(engine)
    provisions = load_provisions(settings.legal_dir)
    uncited = sorted(
        {pid for kind, route in CITING for pid in cited_provisions(kind, route)} - set(provisions)
    )
    if uncited:
        raise StartupRefused(f"templates cite provisions missing from legal/: {uncited}")
    return Container(
        settings=settings,
        clock=clock or SystemClock(),
        db=Database(engine),
        archive=LocalArchive(settings.archive_dir),
        calendar=load_calendar(settings.legal_dir),
        penalty_policy=load_penalty_policy(settings.legal_dir),
        provisions=provisions,
        rulebook=load_rulebook(settings.legal_dir, provisions),
    )


def build_signer(settings: Settings) -> Signer:
    from service.signing import Pkcs12Signer, ensure_development_key

    if settings.signing_key is not None:
        passphrase = (settings.signing_key_passphrase or "").encode() or None
        signer: Signer = Pkcs12Signer.load(settings.signing_key, passphrase)
        if settings.environment == "production" and signer.is_development:
            raise StartupRefused("production refuses a development signing key")
        return signer
    key = ensure_development_key(settings.keys_dir)
    return Pkcs12Signer.load(key.path, key.passphrase)


def _read_certificate(path: Path) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    data = path.read_bytes()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)
    return data
