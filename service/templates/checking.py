"""Running the checks on a version (contract C4): tpl-checks' ``run_checks`` when it is
installed in this tree (``service.templates.checks``), else the one check every version needs —
its sample renders through its engine. Problems become 422 field errors on ``source`` carrying
their location."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from service.errors import FieldError, TalapError
from service.rendering.engines import Recorder, Rendered, SourceBundle
from service.templates.ports import Templating
from service.templates.sample import sample_view
from service.templates.version import LiveVersion, VersionInfo


@dataclass(frozen=True)
class Problem:
    """C4's problem (``service.templates.checks.Problem`` has the same fields)."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    where: str | None = None
    provision: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "where": self.where,
            "provision": self.provision,
        }


@dataclass(frozen=True)
class ProblemError(FieldError):
    """A field error on ``source`` with where a lawyer finds the problem."""

    file: str | None = None
    line: int | None = None
    where: str | None = None
    provision: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "code": self.code, "message": self.message}
        for name in ("file", "line", "where", "provision"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


def problems_of(problems: list[Problem]) -> list[FieldError]:
    return [
        ProblemError("source", p.code, p.message, p.file, p.line, p.where, p.provision)
        for p in problems
    ]


def _as_problem(found: Any) -> Problem:
    return Problem(
        code=str(found.code),
        message=str(found.message),
        file=getattr(found, "file", None),
        line=getattr(found, "line", None),
        where=getattr(found, "where", None),
        provision=getattr(found, "provision", None),
    )


def _checks() -> Any | None:
    try:
        return importlib.import_module("service.templates.checks")
    except ModuleNotFoundError:
        return None


def run_version_checks(
    ports: Templating,
    info: VersionInfo,
    bundle: SourceBundle,
    sibling: LiveVersion | None = None,
) -> list[Problem]:
    """Every problem of ``info`` at once (never raises for a problem of the version)."""
    today = ports.clock.today()
    try:
        view = sample_view(ports.law, ports.kinds, info.kind, info.language, info.schema)
    except (TalapError, ValueError) as exc:
        return [Problem("sample_unavailable", f"no sample case for {info.kind}: {exc}")]
    engine = ports.engines.find(info.engine)
    usable = engine is not None and not engine.missing()

    def render(sample: Any, recorder: Recorder | None) -> Rendered:
        assert engine is not None
        return engine.render(info.id, bundle, sample, created=today, recorder=recorder)

    checks = _checks()
    if checks is None:
        if not usable:
            return []  # the engine's own refusal says what to install
        try:
            render(view, None)
        except TalapError as exc:
            return [Problem("sample_render_failed", exc.message, file=bundle.entry)]
        return []
    other = (
        checks.SiblingVersion(
            language=sibling.info.language, schema=sibling.schema, version_id=sibling.id
        )
        if sibling is not None
        else None
    )
    found = checks.run_checks(
        checks.CheckInput(
            bundle=bundle,
            engine=info.engine,
            language=info.language,
            schema=info.schema,
            provisions=list(info.provisions),
            law=ports.law,
            today=today,
            sample_view=view,
            render=render if usable else None,
            sibling=other,
        )
    )
    return [_as_problem(p) for p in found]
