"""Declared fields against the reads: static (Typst, Jinja) and recorded."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.templates.checks.paths import Read, declared_paths, normalise, view_shape
from service.templates.checks.typst_paths import reachable, reads_in_line
from service.templates.checks.variables import compare, sibling_difference


@dataclass(frozen=True)
class Spec:
    name: str
    type: str = "text"
    required: bool = False
    columns: tuple[Spec, ...] = ()


@dataclass(frozen=True)
class Schema:
    fields: tuple[Spec, ...] = field(default_factory=tuple)


VIEW = {
    "kind": "reminder",
    "draft": False,
    "text": {
        "kk": {
            "creditor": {"name": "ОСИ", "phone": None},
            "debt": {"lines": [{"period": "03.2026", "amount": "1"}], "totals": {"overdue": "1"}},
            "agreement": None,
            "basis": [],
        }
    },
    "fields": {"meeting_date": "2026-12-01"},
}


def test_paths_of_every_language_are_the_text_of_one() -> None:
    assert normalise("kk.creditor.name") == "t.creditor.name"
    assert normalise("text.ru.debt") == "t.debt"
    assert normalise("fields.x") == "fields.x"


def test_the_shape_of_a_view_knows_rows_and_leaves_unstated_parts_open() -> None:
    shape = view_shape(VIEW)
    assert shape.provides("t.debt.lines.period")
    assert shape.provides("t.agreement.number")  # None in the sample: not checkable
    assert shape.provides("t.basis.name")  # an empty list: its rows are not known
    assert shape.provides("t.creditor.phone")
    assert not shape.provides("t.creditor.nmae")
    assert not shape.provides("t.debt.lines.perod")


def test_typst_chains_stop_at_a_method_call() -> None:
    line = "#t.creditor.name #t.basis.map(b => b.name) #t.cites.at(id) #data.draft #ts.first().debt"
    assert reads_in_line(line) == ["t.creditor.name", "t.basis", "t.cites", "draft", "t.debt"]
    assert reads_in_line("#let term = x.t.y; #it.t") == []


def test_only_the_files_the_entry_imports_are_read() -> None:
    files = {
        "ru/reminder.typ": b'#import "/common/document.typ": single\n#single("ru", x)',
        "common/document.typ": b'#import "letter.typ": *\n// #import "/common/old.typ"',
        "common/letter.typ": b"",
        "common/old.typ": b"",
        "common/text-statement.typ": b"",
    }
    assert reachable(files, "ru/reminder.typ") == [
        "ru/reminder.typ",
        "common/document.typ",
        "common/letter.typ",
    ]


def test_used_not_declared_and_declared_not_used_are_both_listed() -> None:
    schema = Schema(
        (
            Spec("t.creditor.name"),
            Spec("t.debt.lines", "table", columns=(Spec("period"), Spec("amount"))),
            Spec("fields.meeting_date", "date"),
            Spec("fields.unused", "text"),
            Spec("t.creditor.invented"),
        )
    )
    reads = [
        Read("t.creditor.name", "a.html", 3),
        Read("t.creditor.nmae", "a.html", 4),
        Read("fields.meeting_date", "a.html", 5),
        Read("fields.place", "a.html", 6),
        Read("kk.debt.lines.period", recorded=True),
        Read("t.debt.lines", recorded=True),
        Read("loop", recorded=True),
    ]
    problems = compare(reads, declared_paths(schema), view_shape(VIEW))
    assert sorted((p.code, p.message.split(",")[0].split(":")[0], p.line) for p in problems) == [
        ("undeclared_field", "reads fields.place", 6),
        ("unknown_variable", "reads t.creditor.nmae", 4),
        ("unknown_variable", "the schema declares t.creditor.invented", None),
        ("unused_field", "the schema declares fields.unused", None),
        ("unused_field", "the schema declares t.creditor.invented", None),
        ("unused_field", "the schema declares t.debt.lines.amount", None),
    ]


def test_a_typst_read_of_a_whole_part_covers_what_is_declared_under_it() -> None:
    schema = Schema((Spec("t.creditor.phone"),))
    typst = [Read("t.creditor", "common/letter.typ", 9, covers_below=True)]
    assert compare(typst, declared_paths(schema), view_shape(VIEW)) == []
    recorded = [Read("t.creditor", recorded=True)]
    assert [p.code for p in compare(recorded, declared_paths(schema), None)] == ["unused_field"]


def test_a_template_without_a_schema_passes_when_it_reads_what_talap_provides() -> None:
    reads = [Read("t.creditor.name", "x.typ", 1), Read("draft", "x.typ", 2)]
    assert compare(reads, [], view_shape(VIEW)) == []


def test_kk_and_ru_versions_asking_for_different_fields_are_listed() -> None:
    kk = Schema(
        (
            Spec("t.as_of_attributive"),
            Spec("fields.meeting_date", "date", required=True),
            Spec("fields.place"),
        )
    )
    ru = Schema((Spec("t.as_of_words"), Spec("fields.meeting_date", "date"), Spec("fields.room")))
    assert [p.message for p in sibling_difference("kk", kk, "ru", ru)] == [
        "fields.meeting_date is date, required in the kk version but date in the ru one",
        "fields.place is declared by the kk version, not by the ru one",
        "fields.room is declared by the ru version, not by the kk one",
    ]
    assert sibling_difference("kk", kk, "ru", kk) == []
