"""Template versions as the lawyer's API and pages use them (contract C2): list, upload, read,
check, approve, schedule, retire, preview, redline. Picking for issuing is ``picking``.

Who manages what: a key bound to a creditor manages that creditor's own templates; a key bound
to none (a lawyer or admin of the service) manages the shared ones. Everyone who may read sees
the shared templates and their own creditor's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from service.archive import ArchiveMismatch
from service.audit import service as audit
from service.audit.template_events import (
    TemplateVersionApproved,
    TemplateVersionRetired,
    TemplateVersionScheduled,
    TemplateVersionUploaded,
)
from service.creditors.auth import Permission, Principal, Role
from service.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.kit.blobs import keep_with
from service.templates import diffing, lifecycle, live, repository, stale
from service.templates import schema as schemas
from service.templates.bundle import canonical_zip, read_upload
from service.templates.checking import Problem, problems_of, run_version_checks
from service.templates.citations import parse_provisions
from service.templates.lifecycle import Shown, Status
from service.templates.loader import parse_schema
from service.templates.ports import BundleCache, Templating, bundle_of, issuing_problems
from service.templates.sample import sample_view
from service.templates.stale import StaleReason
from service.templates.version import LiveVersion, VersionInfo

__all__ = [
    "BundleCache",
    "LiveVersion",
    "Problem",
    "TemplateView",
    "Templating",
    "VersionView",
    "approve",
    "check",
    "get_version",
    "issuing_problems",
    "list_templates",
    "load_bundled",
    "pick",
    "preview",
    "retire",
    "schedule",
    "source",
    "upload",
]


@dataclass(frozen=True)
class VersionView:
    """A version with what follows from the moment and the law: its shown status, whether it
    is stale and why, and the fields it newly requires compared with the live version."""

    info: VersionInfo
    status: Shown
    stale: list[StaleReason] = field(default_factory=list)
    breaking: list[str] = field(default_factory=list)
    live_id: str | None = None
    """The template's live version now (what a redline compares with)."""

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def kind(self) -> str:
        return self.info.kind

    @property
    def language(self) -> str:
        return self.info.language

    @property
    def creditor_id(self) -> str | None:
        return self.info.creditor_id


@dataclass(frozen=True)
class TemplateView:
    kind: str
    language: str
    creditor_id: str | None
    versions: list[VersionView]
    live: VersionView | None

    @property
    def stale(self) -> bool:
        return bool(self.live and self.live.stale)


def shared_versions(
    session: Session, ports: Templating, kind: str, language: str
) -> list[VersionInfo]:
    """The shared template's versions; the bundled one while this database has none."""
    row = repository.template(session, None, kind, language)
    if row is not None:
        return repository.versions_of(session, [row])
    found = ports.bundled().get((kind, language))
    return [found[0]] if found else []


def own_versions(
    session: Session, creditor_id: str | None, kind: str, language: str
) -> list[VersionInfo]:
    if creditor_id is None:
        return []
    row = repository.template(session, creditor_id, kind, language)
    return repository.versions_of(session, [row]) if row is not None else []


def pick(
    session: Session,
    ports: Templating,
    creditor_id: str | None,
    kind: str,
    language: str,
    at: dt.datetime,
) -> LiveVersion | None:
    """The version live at ``at`` for ``creditor_id`` (its own over the shared one) with its
    sources; ``None`` when the kind and language have no live version."""
    chosen = live.pick(
        own_versions(session, creditor_id, kind, language),
        shared_versions(session, ports, kind, language),
        at,
    )
    if chosen is None:
        return None
    return LiveVersion(chosen, bundle_of(ports, chosen))


def load_bundled(session: Session, ports: Templating) -> list[str]:
    """Load the shipped templates as versions of the shared templates (idempotent: a version
    already there is skipped). The first version of a template is live since ``LIVE_FROM``; a
    shipped wording that changed with a deploy goes live now. Returns the ids added."""
    now = ports.clock.now()
    added = []
    for (kind, language), (info, _bundle, data) in sorted(ports.bundled().items()):
        if repository.exists(session, info.id):
            continue
        parent = repository.ensure_template(session, None, kind, language, now)
        earlier = repository.versions_of(session, [parent])
        if earlier:
            info = _replace_schedule(info, now)
        keep_with(session, ports.archive, data)
        repository.add_version(session, info, parent)
        added.append(info.id)
    return added


def _replace_schedule(info: VersionInfo, now: dt.datetime) -> VersionInfo:
    from dataclasses import replace

    return replace(info, live_from=now, approved_at=now, created_at=now)


def _scope(caller: Principal) -> str | None:
    """Whose templates ``caller`` manages: its creditor's, or the shared ones (unbound key)."""
    return caller.creditor_id


def _may_read(caller: Principal, info: VersionInfo) -> bool:
    if info.creditor_id is None:
        return True
    return caller.may_see(info.creditor_id)


def _may_manage(caller: Principal, info: VersionInfo) -> bool:
    return info.creditor_id == _scope(caller)


def _views(
    ports: Templating, versions: Sequence[VersionInfo], now: dt.datetime
) -> tuple[list[VersionView], VersionView | None]:
    current = live.live_at(versions, now)
    live_id = current.id if current else None
    out = [
        VersionView(
            info=v,
            status=lifecycle.shown(v, now, live_id),
            stale=stale.reasons(v.provisions, ports.law.provisions),
            breaking=schemas.breaking(current.schema if current else None, v.schema)
            if v.id != live_id
            else [],
            live_id=live_id,
        )
        for v in versions
    ]
    return out, next((v for v in out if v.id == live_id), None)


def list_templates(session: Session, ports: Templating, caller: Principal) -> list[TemplateView]:
    """Every template ``caller`` may see, each with its versions (oldest first)."""
    caller.require(Permission.READ)
    now = ports.clock.now()
    everyone = caller.role is Role.ADMIN and caller.creditor_id is None
    rows = repository.templates_for(session, caller.creditor_id, all_creditors=everyone)
    seen = {(r.creditor_id, r.kind, r.language) for r in rows}
    out: list[TemplateView] = []
    for row in rows:
        versions, current = _views(ports, repository.versions_of(session, [row]), now)
        out.append(TemplateView(row.kind, row.language, row.creditor_id, versions, current))
    for kind, language in sorted(ports.bundled()):
        if (None, kind, language) not in seen:
            versions, current = _views(ports, shared_versions(session, ports, kind, language), now)
            out.append(TemplateView(kind, language, None, versions, current))
    out.sort(key=lambda t: (t.kind, t.language, t.creditor_id or ""))
    return out


def _find(session: Session, ports: Templating, version_id: str) -> VersionInfo | None:
    found = repository.version_row(session, version_id)
    if found is not None:
        return repository.info_of(*found)
    for info, _bundle, _data in ports.bundled().values():
        if info.id == version_id:
            return info
    return None


def _family(session: Session, ports: Templating, info: VersionInfo) -> list[VersionInfo]:
    if info.creditor_id is None:
        return shared_versions(session, ports, info.kind, info.language)
    return own_versions(session, info.creditor_id, info.kind, info.language)


def get_version(
    session: Session, ports: Templating, caller: Principal, version_id: str
) -> VersionView:
    caller.require(Permission.READ)
    info = _find(session, ports, version_id)
    if info is None or not _may_read(caller, info):
        raise NotFound(f"template version {version_id} not found")
    versions, _ = _views(ports, _family(session, ports, info), ports.clock.now())
    return next(v for v in versions if v.id == info.id)


def source(
    session: Session, ports: Templating, caller: Principal, version_id: str
) -> tuple[VersionInfo, bytes]:
    """The version's sources as the canonical ZIP (byte for byte what its id hashes)."""
    info = get_version(session, ports, caller, version_id).info
    try:
        bundle = bundle_of(ports, info)
    except ArchiveMismatch as found:  # the archived sources no longer hash to the version id
        audit.mismatch_found(
            session,
            found,
            creditor_id=info.creditor_id,
            about=f"template-version:{info.id}",
            read_by="template.source",
            actor=caller.actor,
            at=ports.clock.now(),
        )
        raise
    return info, canonical_zip(bundle.files)


def _kind_errors(ports: Templating, kind: str, language: str) -> list[FieldError]:
    spec = ports.kinds.get(kind)
    if spec is None:
        known = ", ".join(ports.kinds.names())
        return [FieldError("kind", "unknown_kind", f"no document kind {kind!r}; known: {known}")]
    allowed = (spec.fixed_language,) if spec.fixed_language else spec.languages
    if language not in allowed:
        return [
            FieldError("language", "unknown_value", f"a {kind} is issued in: {', '.join(allowed)}")
        ]
    return []


def upload(
    session: Session,
    ports: Templating,
    caller: Principal,
    kind: str,
    language: str,
    *,
    filename: str,
    data: bytes,
    engine: str,
    changelog: str,
    schema: str | bytes | None = None,
    provisions: str | Sequence[Any] | None = None,
) -> VersionView:
    """A new draft of ``caller``'s template ``kind``/``language``; every problem at once (422),
    the checks' findings included."""
    caller.require(Permission.AUTHOR_TEMPLATES)
    errors = _kind_errors(ports, kind, language)
    engine_problem = ports.engines.problem(engine)
    if engine_problem is not None:
        errors.append(engine_problem)
    bundle = None
    try:
        bundle = read_upload(filename, data)
    except ValidationFailed as failed:
        errors += failed.errors
    parsed, schema_errors = parse_schema(schema)
    errors += schema_errors
    cited, provision_errors = parse_provisions(
        ports.law, ports.kinds, kind, provisions, ports.clock.today()
    )
    errors += provision_errors
    if not changelog.strip():
        errors.append(FieldError("changelog", "required", "say what changed and why"))
    if errors or bundle is None:
        raise ValidationFailed(errors)
    zipped = canonical_zip(bundle.files)
    import hashlib

    version_id = hashlib.sha256(zipped).hexdigest()
    if _find(session, ports, version_id) is not None:
        raise Conflict(f"these sources are already version {version_id}")
    now = ports.clock.now()
    creditor_id = _scope(caller)
    info = VersionInfo(
        id=version_id,
        author=caller.actor,
        status=Status.DRAFT,
        kind=kind,
        language=language,
        creditor_id=creditor_id,
        engine=engine,
        entry=bundle.entry,
        size=len(zipped),
        schema=parsed,
        provisions=tuple(cited),
        changelog=changelog.strip(),
        created_at=now,
    )
    # the other language's agreement on fields is checked at :check and :approve, when both
    # drafts can exist (uploading one first would always disagree with the other's old version)
    problems = run_version_checks(ports, info, bundle)
    if problems:
        raise ValidationFailed(problems_of(problems))
    if creditor_id is None:
        # the shared template's first own row: the bundled versions come first, so the new
        # version is compared with (and supersedes) the wording that was live
        load_bundled(session, ports)
    parent = repository.ensure_template(session, creditor_id, kind, language, now)
    keep_with(session, ports.archive, zipped)
    repository.add_version(session, info, parent)
    ports.cache.put(version_id, bundle)
    view = get_version(session, ports, caller, version_id)
    event = TemplateVersionUploaded(
        version_id, parent.id, engine=engine, breaking=tuple(view.breaking)
    )
    audit.record(session, event, creditor_id=creditor_id, actor=caller.actor, at=now)
    return view


def check(session: Session, ports: Templating, caller: Principal, version_id: str) -> list[Problem]:
    """Every problem the checks find in the version now (the law may have moved on)."""
    info = get_version(session, ports, caller, version_id).info
    return run_version_checks(ports, info, bundle_of(ports, info), _sibling(session, ports, info))


def _managed_row(
    session: Session, ports: Templating, caller: Principal, version_id: str
) -> tuple[Any, Any, VersionInfo]:
    view = get_version(session, ports, caller, version_id)
    if not _may_manage(caller, view.info):
        whose = "the shared templates" if view.info.creditor_id is None else "its creditor"
        raise NotFound(f"template version {version_id} not found among yours ({whose})")
    if view.info.creditor_id is None:
        load_bundled(session, ports)
    found = repository.version_row(session, version_id, lock=True)
    if found is None:
        raise NotFound(f"template version {version_id} not found")
    row, parent = found
    return row, parent, repository.info_of(row, parent)


def approve(session: Session, ports: Templating, caller: Principal, version_id: str) -> VersionView:
    """Approve a draft (not its author's own); the checks must pass first."""
    caller.require(Permission.APPROVE_TEMPLATES)
    row, parent, info = _managed_row(session, ports, caller, version_id)
    now = ports.clock.now()
    state = lifecycle.approve(info, caller.actor, now)
    problems = run_version_checks(
        ports, info, bundle_of(ports, info), _sibling(session, ports, info)
    )
    if problems:
        raise ValidationFailed(problems_of(problems))
    repository.write_state(row, state)
    session.flush()
    event = TemplateVersionApproved(version_id, parent.id)
    audit.record(session, event, creditor_id=parent.creditor_id, actor=caller.actor, at=now)
    return get_version(session, ports, caller, version_id)


def schedule(
    session: Session,
    ports: Templating,
    caller: Principal,
    version_id: str,
    live_from: dt.datetime,
) -> VersionView:
    caller.require(Permission.APPROVE_TEMPLATES)
    row, parent, info = _managed_row(session, ports, caller, version_id)
    now = ports.clock.now()
    state = lifecycle.schedule(info, live_from, now)
    repository.write_state(row, state)
    session.flush()
    event = TemplateVersionScheduled(version_id, parent.id, live_from=live_from)
    audit.record(session, event, creditor_id=parent.creditor_id, actor=caller.actor, at=now)
    return get_version(session, ports, caller, version_id)


def retire(session: Session, ports: Templating, caller: Principal, version_id: str) -> VersionView:
    caller.require(Permission.APPROVE_TEMPLATES)
    row, parent, info = _managed_row(session, ports, caller, version_id)
    now = ports.clock.now()
    current = live.live_at(repository.versions_of(session, [parent]), now)
    state = lifecycle.retire(
        info, caller.actor, now, live_now=current is not None and current.id == info.id
    )
    repository.write_state(row, state)
    session.flush()
    event = TemplateVersionRetired(version_id, parent.id)
    audit.record(session, event, creditor_id=parent.creditor_id, actor=caller.actor, at=now)
    return get_version(session, ports, caller, version_id)


def preview(
    session: Session,
    ports: Templating,
    caller: Principal,
    version_id: str,
    case_external_id: str | None = None,
    *,
    issuing: Any = None,
) -> bytes:
    """The version rendered with the sample case, or with one of the caller's creditor's real
    cases (``case_external_id``; ``issuing``: ``Wiring.issuing()``), marked draft, unsigned.
    Nothing is stored."""
    from service.templates.previews import render_preview

    info = get_version(session, ports, caller, version_id).info
    case_view = None
    if case_external_id is not None:
        from service.documents import service as documents
        from service.documents.facts import IssueRequest
        from service.documents.present import present

        request = IssueRequest(kind=info.kind, language=info.language)
        prepared = documents.prepare(session, issuing, caller, case_external_id, request)
        if prepared.facts is None:  # the case itself cannot give this document's facts
            raise ValidationFailed(prepared.errors)
        case_view = present(prepared.facts)
    return render_preview(ports, caller, info, bundle_of(ports, info), case_view)


def _sibling(session: Session, ports: Templating, info: VersionInfo) -> LiveVersion | None:
    """The other language's newest version of the same template that is not retired (kk ↔ ru;
    a draft counts: the two drafts of one change are approved one after the other); the two
    must declare the same fields."""
    other = {"kk": "ru", "ru": "kk"}.get(info.language)
    if other is None:
        return None
    if info.creditor_id is None:
        versions = shared_versions(session, ports, info.kind, other)
    else:
        versions = own_versions(session, info.creditor_id, info.kind, other)
        if not versions:
            versions = shared_versions(session, ports, info.kind, other)
    candidates = [v for v in versions if v.status is not Status.RETIRED]
    if not candidates:
        return None
    newest = max(candidates, key=lambda v: (v.created_at, v.id))
    return LiveVersion(newest, bundle_of(ports, newest))


def redline(
    session: Session, ports: Templating, caller: Principal, a: str, b: str
) -> dict[str, Any]:
    """``a`` against ``b``: sources, schema, citations; with the engines' redline module
    (``service.templates.redline``) also the sample's pages side by side."""
    first = get_version(session, ports, caller, a).info
    second = get_version(session, ports, caller, b).info
    first_bundle, second_bundle = bundle_of(ports, first), bundle_of(ports, second)
    found = diffing.redline(first, first_bundle, second, second_bundle).as_dict()
    richer = _module("service.templates.redline")
    if richer is not None:
        view = sample_view(ports.law, ports.kinds, second.kind, second.language, second.schema)
        old, new = LiveVersion(first, first_bundle), LiveVersion(second, second_bundle)
        result = richer.redline(old, new, ports.engines, view)
        found.update(result.as_dict() if hasattr(result, "as_dict") else dict(result))
    return found


def _module(name: str) -> Any | None:
    import importlib

    try:
        return importlib.import_module(name)
    except ModuleNotFoundError:
        return None


def live_version(
    session: Session,
    ports: Templating,
    creditor_id: str | None,
    kind: str,
    language: str,
    at: dt.datetime,
) -> LiveVersion | None:
    return pick(session, ports, creditor_id, kind, language, at)
