"""The composition root: settings in, one ``Wiring`` of adapters and the law out.

Nothing happens at import time, and building a wiring touches nothing but memory and the data
directory: migrations run where a process starts (``talap migrate``, ``talap serve`` once before
its workers, every other CLI command — ``service.cli``), never in a worker. Use cases receive what
they use from the edge (``service.kit.deps``, the CLI), never the wiring itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.archive import Archive, LocalArchive
from service.channels.email import Mailer
from service.channels.sms import GatewayConfig, SmsChannel, build_channel
from service.clock import Clock, SystemClock
from service.decisions import service as decisions
from service.deliveries import repository as deliveries_repository
from service.documents import repository as documents_repository
from service.documents.kinds import KindRegistry, default_kinds
from service.documents.service import Issuing
from service.errors import ConfigurationError, FieldError
from service.evidence.pack_pdf import PackPorts
from service.evidence.packs.service import Packing
from service.evidence.service import Verifying
from service.kernel.text import Localized
from service.kit.blobs import SweepResult, sweep
from service.kit.db import Database
from service.kit.engine import make_engine, migrate, migration_lock
from service.kit.links import Links
from service.law.context import LawContext
from service.law.loader import load_law
from service.outbox.service import KICK
from service.queue import Queue
from service.rendering.base import AttachingRenderer, Renderer, TemplateRef
from service.rendering.bounds import RenderBounds
from service.rendering.engines import Engine, EngineRegistry, Recorder, Rendered, SourceBundle
from service.settings import Settings
from service.signing import Signer
from service.templates import repository as templates_repository
from service.templates.service import BundleCache, Templating, load_bundled


@dataclass(frozen=True)
class Wiring:
    settings: Settings
    clock: Clock
    db: Database
    law: LawContext
    kinds: KindRegistry
    archive: Archive
    renderer: Renderer
    signer: Signer
    trust_roots: tuple[bytes, ...]
    links: Links
    queue: Queue
    mailer: Mailer | None = None
    """E-mail out (``TALAP_SMTP_*``); ``None`` when not configured (e-mail cannot be sent)."""
    sms: SmsChannel = field(default_factory=SmsChannel)
    """The SMS gateways (``TALAP_SMS_GATEWAYS``): the first sends, each may call back."""
    engines: EngineRegistry = field(default_factory=EngineRegistry)
    """The template engines by name (``typst``; ``docx`` and ``html`` where registered)."""
    template_sources: BundleCache = field(default_factory=BundleCache)

    def templating(self) -> Templating:
        return Templating(
            clock=self.clock,
            law=self.law,
            kinds=self.kinds,
            archive=self.archive,
            engines=self.engines,
            templates_dir=self.settings.templates_dir,
            cache=self.template_sources,
        )

    def issuing(self) -> Issuing:
        return Issuing(
            clock=self.clock,
            law=self.law,
            kinds=self.kinds,
            renderer=self.renderer,
            signer=self.signer,
            archive=self.archive,
            links=self.links,
            payment_days=self.settings.payment_days,
            decisions=decisions.recorder(self.db),
            templates=self.templating(),
        )

    def verifying(self) -> Verifying:
        return Verifying(archive=self.archive, signer=self.signer, trust_roots=self.trust_roots)

    def packing(self) -> Packing:
        """What collecting an evidence pack reads with."""
        return Packing(verifying=self.verifying(), law=self.law, kinds=self.kinds, clock=self.clock)

    def pack_ports(self) -> PackPorts:
        """What laying an evidence pack out uses: Typst with attachments, the signer, the law."""
        provisions = self.law.provisions

        def cite(provision_id: str) -> Localized:
            found = provisions.get(provision_id)
            return found.citation() if found else Localized(provision_id, provision_id)

        return PackPorts(
            renderer=_attaching(self.settings.templates_dir), signer=self.signer, cite=cite
        )

    def close(self) -> None:
        self.queue.close()
        self.db.engine.dispose()


def build_wiring(
    settings: Settings,
    *,
    clock: Clock | None = None,
    law: LawContext | None = None,
    kinds: KindRegistry | None = None,
    archive: Archive | None = None,
    renderer: Renderer | None = None,
    signer: Signer | None = None,
    queue: Queue | None = None,
    mailer: Mailer | None = None,
    sms: SmsChannel | None = None,
    engines: EngineRegistry | None = None,
) -> Wiring:
    """Wire the adapters ``settings`` name; any of them may be handed in instead (tests, tools).

    The law is read and checked here, once: every provision a document kind cites must exist.
    """
    law = law or load_law(settings.legal_dir)
    kinds = kinds or default_kinds()
    uncited = law.unknown_provisions({pid for spec in kinds for pid in spec.all_citations()})
    if uncited:
        raise ConfigurationError(f"templates cite provisions missing from legal/: {uncited}")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url(), schema=settings.database_schema)
    queue = queue or build_queue(settings)
    return Wiring(
        settings=settings,
        clock=clock or SystemClock(),
        db=Database(engine, session_info={KICK: queue.kick}),
        law=law,
        kinds=kinds,
        archive=archive or build_archive(settings),
        renderer=renderer or LazyRenderer(lambda: _typst(settings)),
        signer=signer or LazySigner(lambda: build_signer(settings)),
        trust_roots=settings.read_trust_roots(),
        links=Links(settings.public_url),
        queue=queue,
        mailer=mailer or build_mailer(settings),
        sms=sms or build_sms(settings),
        engines=engines or build_engines(settings),
    )


def build_archive(settings: Settings) -> Archive:
    """The archive ``TALAP_ARCHIVE`` names: the data directory's, or an S3 bucket (no request is
    made here: the bucket is first asked about object lock when an object is promoted)."""
    if settings.archive == "local":
        return LocalArchive(settings.archive_dir)
    from service.archive.s3 import S3Archive, S3Location, make_client

    if not settings.s3_bucket:
        raise ConfigurationError("TALAP_ARCHIVE=s3 needs TALAP_S3_BUCKET")
    secret = settings.s3_secret_access_key
    client = make_client(
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=secret.get_secret_value() if secret else None,
        max_connections=max(10, 2 * settings.max_writers + settings.queue_workers),
    )
    return S3Archive(
        client,
        S3Location(settings.s3_bucket, settings.s3_prefix),
        lock_days=settings.s3_lock_days,
        lock_mode=settings.s3_lock_mode,
    )


def describe_archive(archive: Archive) -> str:
    """Where the archive is, in one line for a process's start (an S3 bucket is asked about its
    object lock here, so a missing lock is said at start, not at the first document)."""
    describe = getattr(archive, "describe", None)
    if callable(describe):
        return str(describe())
    if isinstance(archive, LocalArchive):
        return f"archive: directory {archive.root.resolve()}"
    return f"archive: {type(archive).__name__}"


def build_engines(settings: Settings) -> EngineRegistry:
    """The template engines, each built on first use: Typst; Word (docxtpl, LibreOffice started
    only when a Word version is first rendered; where LibreOffice is absent it says what to
    install); HTML (WeasyPrint)."""
    return EngineRegistry(
        [
            LazyEngine("typst", lambda: _typst_engine(settings.data_dir)),
            LazyEngine("docx", lambda: _docx_engine(settings.data_dir)),
            LazyEngine("html", _html_engine),
        ],
        bounds=RenderBounds(
            max_pages=settings.render_max_pages, seconds=settings.render_timeout_seconds
        ),
    )


def _docx_engine(data_dir: Path) -> Engine:
    from service.rendering.docx import DocxEngine

    return DocxEngine(data_dir / "engines")


def _html_engine() -> Engine:
    from service.rendering.html import HtmlEngine

    return HtmlEngine()


def _typst_engine(data_dir: Path) -> Engine:
    from service.rendering.typst.engine import TypstEngine

    return TypstEngine(data_dir / "template-cache")


def build_sms(settings: Settings) -> SmsChannel:
    """The configured gateways over HTTP (none configured: SMS cannot be sent, and every
    callback answers 404)."""
    return build_channel(
        [
            GatewayConfig(
                name=g.name,
                url=g.url,
                callback_secret=g.callback_secret.get_secret_value(),
                token=g.token.get_secret_value() if g.token else None,
                user=g.user,
                password=g.password.get_secret_value() if g.password else None,
                sender=g.sender,
                timeout=g.timeout,
            )
            for g in settings.sms_gateway_list()
        ]
    )


def build_mailer(settings: Settings) -> Mailer | None:
    """SMTP as ``TALAP_SMTP_*`` says, or ``None`` when no host is set."""
    from service.channels.email import DEFAULT_PORTS, SmtpConfig, SmtpMailer

    if not settings.smtp_host or not settings.smtp_from:
        return None
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpMailer(
        SmtpConfig(
            host=settings.smtp_host,
            port=settings.smtp_port or DEFAULT_PORTS[settings.smtp_security],
            sender=settings.smtp_from,
            security=settings.smtp_security,
            user=settings.smtp_user,
            password=password,
            timeout=settings.smtp_timeout,
        )
    )


def build_queue(settings: Settings) -> Queue:
    """The job queue ``TALAP_QUEUE`` names (default: beside the database, see ``service.queue``)."""
    from service.queue import huey_queue

    url = settings.resolved_database_url()
    kind = settings.queue
    if kind == "auto":
        kind = "sqlite" if url.startswith("sqlite") else "postgresql"
    if kind == "memory":
        return huey_queue.HueyQueue(huey_queue.memory_huey(), name="memory")
    if kind == "postgresql":
        if url.startswith("sqlite"):
            raise ConfigurationError(
                "TALAP_QUEUE=postgresql needs TALAP_DATABASE_URL on PostgreSQL"
            )
        huey = huey_queue.postgres_huey(url, schema=settings.database_schema)
        return huey_queue.HueyQueue(huey, name="postgresql")
    path = settings.queue_file
    return huey_queue.HueyQueue(huey_queue.sqlite_huey(path), name=f"sqlite:{path}")


@functools.cache
def _attaching(templates_dir: Path) -> AttachingRenderer:
    from service.rendering.typst.attaching import TypstAttachingRenderer

    return TypstAttachingRenderer(templates_dir)


def _typst(settings: Settings) -> Renderer:
    from service.rendering.typst import TypstRenderer

    return TypstRenderer(settings.templates_dir)


def build_signer(settings: Settings) -> Signer:
    """The configured PKCS#12, or the development key (generated on first use, marked as such)."""
    from service.signing import Pkcs12Signer, ensure_development_key

    if settings.signing_key is not None:
        passphrase = settings.signing_key_passphrase
        secret = passphrase.get_secret_value().encode() if passphrase else None
        signer = Pkcs12Signer.load(settings.signing_key, secret or None)
        if settings.environment == "production" and signer.is_development:
            raise ConfigurationError("production refuses a development signing key")
        return signer
    key = ensure_development_key(settings.keys_dir)
    return Pkcs12Signer.load(key.path, key.passphrase)


class _Lazy:
    """Builds an adapter on first use: commands that never render or sign skip loading fonts,
    Typst and the key."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._built: Any = None
        self._lock = threading.Lock()

    def _target(self) -> Any:
        with self._lock:
            if self._built is None:
                self._built = self._build()
            return self._built


class LazyRenderer(_Lazy):
    def render(self, template: TemplateRef, view: Mapping[str, Any], *, created: dt.date) -> bytes:
        result: bytes = self._target().render(template, view, created=created)
        return result

    def has_template(self, template: TemplateRef) -> bool:
        return bool(self._target().has_template(template))

    def template_version(self, template: TemplateRef) -> str:
        return str(self._target().template_version(template))

    def glyph_errors(self, fields: Iterable[tuple[str, str]]) -> list[FieldError]:
        result: list[FieldError] = self._target().glyph_errors(fields)
        return result


class LazyEngine(_Lazy):
    """An engine built on first use (Typst loads its fonts; a Word engine starts LibreOffice)."""

    def __init__(self, name: str, build: Callable[[], Engine]) -> None:
        super().__init__(build)
        self.name = name

    def missing(self) -> str | None:
        result: str | None = self._target().missing()
        return result

    def glyph_errors(self, fields: Iterable[tuple[str, str]]) -> list[FieldError]:
        target = self._target()
        if hasattr(target, "glyph_errors"):
            found: list[FieldError] = target.glyph_errors(fields)
            return found
        from service.rendering.typst.glyphs import coverage_errors

        return coverage_errors(fields)

    def render(
        self,
        version_id: str,
        bundle: SourceBundle,
        view: Mapping[str, Any],
        *,
        created: dt.date,
        recorder: Recorder | None = None,
    ) -> Rendered:
        result: Rendered = self._target().render(
            version_id, bundle, view, created=created, recorder=recorder
        )
        return result


class LazySigner(_Lazy):
    @property
    def subject(self) -> str:
        return str(self._target().subject)

    @property
    def is_development(self) -> bool:
        return bool(self._target().is_development)

    @property
    def certificate_der(self) -> bytes:
        return bytes(self._target().certificate_der)

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        result: bytes = self._target().sign(pdf, reason=reason, location=location)
        return result

    def sign_data(self, data: bytes) -> bytes:
        result: bytes = self._target().sign_data(data)
        return result

    def sign_detached(self, data: bytes) -> bytes:
        result: bytes = self._target().sign_detached(data)
        return result


def migrate_database(wiring: Wiring) -> None:
    """Bring the database to the latest schema: once per start of a command (idempotent, safe
    on an empty database; ``talap serve`` does it before its workers start)."""
    with migration_lock(wiring.db.engine):
        migrate(wiring.db.engine)
        wiring.queue.prepare()
        with wiring.db.transaction() as session:
            load_bundled(session, wiring.templating())


def sweep_archive(wiring: Wiring) -> SweepResult:
    """Finish what a crash left in the archive's staging area (``kit.blobs.sweep``): at the
    start of ``talap serve`` and ``talap migrate``, and periodically while serving."""
    return sweep(wiring.archive, lambda names: _recorded(wiring, names), wiring.clock.now())


def _recorded(wiring: Wiring, names: Iterable[str]) -> set[str]:
    wanted = set(names)
    with wiring.db.transaction(read_only=True) as session:
        return (
            documents_repository.recorded(session, wanted)
            | deliveries_repository.recorded(session, wanted)
            | templates_repository.recorded(session, wanted)
        )
