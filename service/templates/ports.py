"""What the template domain works with (``Templating``), a version's sources by id, and what
issuing checks against the picked version (no database here)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.archive import Archive, read_checked
from service.clock import Clock
from service.documents.kinds import KindRegistry
from service.errors import FieldError
from service.law.context import LawContext
from service.rendering.base import texts
from service.rendering.engines import EngineRegistry, SourceBundle
from service.templates import bundled, stale
from service.templates import schema as schemas
from service.templates.bundle import read_canonical
from service.templates.version import LiveVersion, VersionInfo


class BundleCache:
    """Sources by version id, read from the archive once per process (a version never
    changes, so nothing is ever invalidated)."""

    def __init__(self) -> None:
        self._bundles: dict[str, SourceBundle] = {}
        self._lock = threading.Lock()

    def get(self, version_id: str) -> SourceBundle | None:
        with self._lock:
            return self._bundles.get(version_id)

    def put(self, version_id: str, bundle: SourceBundle) -> None:
        with self._lock:
            self._bundles[version_id] = bundle


@dataclass(frozen=True)
class Templating:
    """What the template domain uses."""

    clock: Clock
    law: LawContext
    kinds: KindRegistry
    archive: Archive
    engines: EngineRegistry
    templates_dir: Path
    cache: BundleCache = field(default_factory=BundleCache)

    def bundled(self) -> dict[tuple[str, str], tuple[VersionInfo, SourceBundle, bytes]]:
        return bundled.versions(self.templates_dir, self.kinds, self.law)


def bundle_of(ports: Templating, info: VersionInfo) -> SourceBundle:
    cached = ports.cache.get(info.id)
    if cached is not None:
        return cached
    shipped = ports.bundled().get((info.kind, info.language))
    if shipped is not None and shipped[0].id == info.id:
        bundle = shipped[1]
    else:
        # re-hashed: sources that changed in the archive are refused, never rendered or shown
        bundle = read_canonical(read_checked(ports.archive, info.id), info.entry)
    ports.cache.put(info.id, bundle)
    return bundle


def issuing_problems(
    ports: Templating,
    version: LiveVersion,
    stored: Mapping[str, Any],
    supplied: Mapping[str, Any] | None,
    day: dt.date,
) -> tuple[dict[str, Any], list[FieldError]]:
    """What stops ``version`` from typesetting these facts on ``day``, all at once: its engine
    is not usable here, a text its fonts lack (refused with its field before a number is
    allocated, never printed as a box), a request field its schema refuses, a cited provision
    whose new edition is in effect. Returns the checked ``fields`` for the view too."""
    errors: list[FieldError] = []
    problem = ports.engines.problem(version.engine)
    if problem is not None:
        errors.append(problem)
    values, field_errors = schemas.validate(version.schema, supplied)
    errors += field_errors
    errors += ports.engines.glyph_errors(version.engine, [*texts(stored), *texts(values, "fields")])
    errors += stale.refusals(stale.blocking(version.info.provisions, ports.law.provisions, day))
    return values, errors
