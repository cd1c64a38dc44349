"""``run_checks`` with the HTML engine's recording render (WeasyPrint): the bundled HTML reminder
passes every check; a threat in a changed one is found at its line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from service.bundled import bundled_dir
from service.demo.samples import sample_facts
from service.documents.present import present
from service.law.context import LawContext
from service.rendering.engines import Recorder, Rendered, SourceBundle
from service.rendering.html import HtmlEngine
from service.templates.checks import CheckInput, Problem, run_checks

TODAY = dt.date(2026, 11, 24)


@dataclasses.dataclass(frozen=True)
class NoSchema:
    fields: tuple[Any, ...] = ()


EMPTY = NoSchema()
FOLDER = bundled_dir("templates") / "html" / "ru"


def _bundle(**changes: bytes) -> SourceBundle:
    files = {path.name: path.read_bytes() for path in sorted(FOLDER.iterdir()) if path.is_file()}
    files.update(changes)
    return SourceBundle(files, "reminder.html")


def checked(law: LawContext, bundle: SourceBundle) -> list[Problem]:
    engine = HtmlEngine()
    version_id = hashlib.sha256(repr(sorted(bundle.files.items())).encode()).hexdigest()

    def render(view: Mapping[str, Any], recorder: Recorder) -> Rendered:
        return engine.render(version_id, bundle, view, created=TODAY, recorder=recorder)

    view = {**present(sample_facts(law, "reminder", "ru")), "fields": {}}
    return run_checks(CheckInput(bundle, "html", "ru", EMPTY, (), law, TODAY, view, render))


def test_the_bundled_html_reminder_passes_every_check(law: LawContext) -> None:
    problems = checked(law, _bundle())
    assert problems == [], [p.as_dict() for p in problems]


def test_a_threat_in_an_html_version_is_found_at_its_line(law: LawContext) -> None:
    source = _bundle().files["reminder.html"].decode().split("\n")
    index = next(i for i, line in enumerate(source) if "Уважаемый собственник!" in line)
    source.insert(index + 1, "  <p>При неоплате Ваша квартира будет отключена от отопления.</p>")
    problems = checked(law, _bundle(**{"reminder.html": "\n".join(source).encode()}))
    assert [(p.code, p.file, p.line, p.provision) for p in problems] == [
        ("content_utility_cutoff", "reminder.html", index + 2, "housing-38")
    ]
