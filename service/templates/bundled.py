"""The templates shipped with the service as the first live versions of the shared templates.

Each ``templates/{kk,ru,bilingual}/<kind>.typ`` with the shared ``common/`` blocks is one
self-contained bundle (the Typst root of its version). They are loaded into the database at
start (``service.load_bundled``), idempotently (the id is the SHA-256 of the sources); until a
database has them — a fresh test database, a worker started before ``talap migrate`` — picking
falls back to these same versions in memory, so what is issued is identical either way.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path

from service.documents.kinds import KindRegistry
from service.law.context import LawContext
from service.rendering.engines import SourceBundle
from service.templates.bundle import canonical_zip
from service.templates.lifecycle import Status
from service.templates.schema import EMPTY
from service.templates.stale import Cited, edition_in_force
from service.templates.version import VersionInfo

LANGUAGES = ("kk", "ru", "bilingual")
AUTHOR = "bundled"
LIVE_FROM = dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5)))
"""Live since before any document this service issues (the law's 2025 reform)."""
WRITTEN_AGAINST = dt.date(2026, 11, 27)
"""The day the shipped wording was last checked against ``legal/``: each version cites the
editions in force then, so an edition that takes effect later makes it stale (move this date
forward when the shipped templates are revised for a new edition)."""


@functools.cache
def bundles(templates_dir: Path) -> dict[tuple[str, str], tuple[SourceBundle, bytes]]:
    """(kind, language) → the bundle and its canonical ZIP, read once per process (picking asks
    for them on every issue while a database has not loaded them)."""
    common = {
        f"common/{path.name}": path.read_bytes()
        for path in sorted((templates_dir / "common").glob("*.typ"))
    }
    found: dict[tuple[str, str], tuple[SourceBundle, bytes]] = {}
    for language in LANGUAGES:
        for path in sorted((templates_dir / language).glob("*.typ")):
            entry = f"{language}/{path.name}"
            files = {**common, entry: path.read_bytes()}
            found[(path.stem, language)] = (SourceBundle(files, entry), canonical_zip(files))
    return found


@functools.cache
def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def versions(
    templates_dir: Path, kinds: KindRegistry, law: LawContext
) -> dict[tuple[str, str], tuple[VersionInfo, SourceBundle, bytes]]:
    """Every bundled version of a kind this service issues, citing the provisions its kind
    cites in the editions in force on ``WRITTEN_AGAINST``."""
    out: dict[tuple[str, str], tuple[VersionInfo, SourceBundle, bytes]] = {}
    for (kind, language), (bundle, data) in bundles(Path(templates_dir)).items():
        spec = kinds.get(kind)
        if spec is None:
            continue
        cited = []
        for provision_id in sorted(spec.all_citations()):
            provision = law.provisions.get(provision_id)
            edition = edition_in_force(provision, WRITTEN_AGAINST) if provision else None
            cited.append(Cited(provision_id, edition))
        info = VersionInfo(
            id=_digest(data),
            author=AUTHOR,
            status=Status.APPROVED,
            approved_by=AUTHOR,
            approved_at=LIVE_FROM,
            live_from=LIVE_FROM,
            kind=kind,
            language=language,
            creditor_id=None,
            engine="typst",
            entry=bundle.entry,
            size=len(data),
            schema=EMPTY,
            provisions=tuple(cited),
            changelog="The template shipped with Talap.",
            created_at=LIVE_FROM,
            bundled=True,
        )
        out[(kind, language)] = (info, bundle, data)
    return out
