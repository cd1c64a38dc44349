"""``run_checks`` on Word and HTML bundles, read statically (their engines render them in the
engines' own tests and, once there, in the recording-render tests)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from service.demo.samples import sample_facts
from service.documents.present import present
from service.law.context import LawContext
from service.rendering.engines import SourceBundle
from service.templates.checks import CheckInput, Problem, run_checks
from tests.templates.checks.word_builders import docx

TODAY = dt.date(2026, 11, 24)


@dataclasses.dataclass(frozen=True)
class Spec:
    name: str
    type: str = "text"
    required: bool = False
    columns: tuple[Spec, ...] = ()


@dataclasses.dataclass(frozen=True)
class Schema:
    fields: tuple[Spec, ...] = ()


def checked(
    law: LawContext, bundle: SourceBundle, engine: str, schema: Any = None
) -> list[Problem]:
    view = present(sample_facts(law, "reminder", "ru"))
    return run_checks(
        CheckInput(
            bundle=bundle,
            engine=engine,
            language="ru",
            schema=schema or Schema(),
            provisions=(),
            law=law,
            today=TODAY,
            sample_view={**view, "fields": {}},
        )
    )


def test_a_variable_split_across_runs_is_found_with_its_paragraph(law: LawContext) -> None:
    data = docx(
        ["Уважаемый собственник!", ["{{ t.cred", "itor.nmae", " }}", " напоминает о долге."]],
        footer="{{ t.creditor.name }}",
    )
    problems = checked(law, SourceBundle({"reminder.docx": data}, "reminder.docx"), "docx")
    assert [(p.code, p.file, p.where) for p in problems] == [
        ("unknown_variable", "reminder.docx", "paragraph 2")
    ]
    assert "t.creditor.nmae" in problems[0].message


def test_a_threat_in_a_word_header_is_refused_with_the_article(law: LawContext) -> None:
    data = docx(
        ["{{ t.creditor.name }} напоминает о долге."],
        table=[["Внимание", "Должникам отключаем электроэнергию."]],
        header="При неоплате подача воды будет приостановлена.",
    )
    problems = checked(law, SourceBundle({"reminder.docx": data}, "reminder.docx"), "docx")
    assert [(p.code, p.where, p.provision) for p in problems] == [
        ("content_utility_cutoff", "table 1 row 1 cell 2", "housing-38"),
        ("content_utility_cutoff", "header", "housing-38"),
    ]


def test_an_html_version_is_checked_by_file_and_line(law: LawContext) -> None:
    html = (
        "<html><body>\n<p>{{ t.creditor.name }}</p>\n"
        "<p>Собрание {{ fields.meeting_date }} решит о выдаче судебного приказа.</p>\n"
        "<!-- отключим воду: a comment is never printed -->\n</body></html>\n"
    )
    schema = Schema((Spec("fields.meeting_date", "date"), Spec("fields.place")))
    bundle = SourceBundle({"letter.html": html.encode()}, "letter.html")
    problems = checked(law, bundle, "html", schema)
    assert [(p.code, p.file, p.line, p.provision) for p in problems] == [
        ("content_court_order", "letter.html", 3, "gpk-135"),
        ("unused_field", None, None, None),
    ]
