"""What the workbench pages make of the template domain's answers (pure): the changed sentence
inside a changed paragraph, every problem's location, the moment a lawyer schedules."""

from __future__ import annotations

import datetime as dt

import pytest

from service.clock import ALMATY
from service.errors import FieldError, ValidationFailed
from service.workbench.views import (
    Piece,
    change_line,
    change_lines,
    live_from,
    local_input,
    located_diff,
    marked,
    page_image,
    problem_line,
    redline_view,
    refusal_problems,
    sentences,
    unified_changes,
    version_row,
)

BEFORE = (
    "Просим погасить задолженность в течение 10 дней. Оплату можно внести в кассу. "
    "Спасибо за понимание."
)
AFTER = (
    "Просим погасить задолженность в течение 10 дней. Оплату можно внести на счёт товарищества. "
    "Спасибо за понимание."
)


def test_a_paragraph_splits_into_sentences_that_join_back() -> None:
    found = sentences(BEFORE)
    assert len(found) == 3
    assert "".join(found) == BEFORE
    assert sentences("") == []
    assert sentences("Без точки") == ["Без точки"]


def test_only_the_changed_sentence_is_marked_on_each_side() -> None:
    left, right = marked(BEFORE, AFTER)
    assert [p.changed for p in left] == [False, True, False]
    assert [p.changed for p in right] == [False, True, False]
    assert left[1] == Piece("Оплату можно внести в кассу. ", True)
    assert right[1].text.startswith("Оплату можно внести на счёт")
    assert "".join(p.text for p in right) == AFTER


def test_an_added_paragraph_is_all_new() -> None:
    line = change_line({"where": "paragraph 7", "before": None, "after": "Новый абзац."})
    assert line.kind == "added" and line.where == "paragraph 7"
    assert line.before == () and [p.changed for p in line.after] == [True]


def test_a_problem_names_its_file_and_line_or_its_place_in_word() -> None:
    typst = problem_line(
        {"code": "undeclared", "message": "x", "file": "common/text.typ", "line": 12}
    )
    assert typst.location("ru") == "файл common/text.typ, строка 12"
    assert typst.location("kk") == "файл common/text.typ, 12-жол"
    word = problem_line({"code": "cut_off", "message": "y", "where": "table 1 row 2 cell 3"})
    assert word.location("ru") == "таблица 1 строка 2 ячейка 3"
    assert word.location("kk") == "1-кесте 2-жол 3-ұяшық"
    assert problem_line({"code": "c", "message": "m", "where": "header"}).location("kk") == (
        "жоғарғы колонтитул"
    )
    field = problem_line(FieldError("live_from", "in_the_past", "z"))
    assert field.location("ru") == "live_from"


def test_a_refused_upload_lists_every_error_and_violation() -> None:
    class Violation:
        def as_dict(self) -> dict[str, object]:
            return {"rule": "no_cut_off", "message": "m", "provision": "housing-law-art-38"}

    refusal = ValidationFailed(
        [FieldError("source", "undeclared", "a"), FieldError("schema", "invalid", "b")],
        [Violation()],
    )
    found = refusal_problems(refusal)
    assert [p.code for p in found] == ["undeclared", "invalid", "no_cut_off"]
    assert found[2].provision == "housing-law-art-38"


def test_the_schedule_is_read_in_almaty_time() -> None:
    moment = live_from("2026-12-01T09:30")
    assert moment == dt.datetime(2026, 12, 1, 9, 30, tzinfo=ALMATY)
    assert moment.astimezone(dt.UTC).hour == 4
    assert local_input(moment) == "2026-12-01T09:30"
    with pytest.raises(ValidationFailed) as refused:
        live_from("tomorrow")
    assert refused.value.errors[0].path == "live_from"


def test_a_version_reads_the_same_from_a_dict_or_an_object() -> None:
    row = version_row(
        {
            "id": "a" * 64,
            "status": "draft",
            "engine": "docx",
            "live_from": None,
            "stale": [{"provision": "p", "message": "p: new edition 2027-01-01"}],
            "breaking": ["fields.meeting_date"],
        }
    )
    assert row.short == "a" * 12
    assert row.stale == ("p: new edition 2027-01-01",)
    assert row.breaking == ("fields.meeting_date",)


def test_word_blocks_are_aligned_by_text_so_an_inserted_paragraph_is_one_addition() -> None:
    before = [("paragraph 1", "Уважаемый собственник!"), ("paragraph 2", BEFORE)]
    after = [
        ("paragraph 1", "Уважаемый собственник!"),
        ("paragraph 2", "Новый абзац."),
        ("paragraph 3", AFTER),
    ]
    found = change_lines(located_diff(before, after))
    assert [(c.kind, c.where) for c in found] == [
        ("added", "paragraph 2"),
        ("changed", "paragraph 3"),
    ]
    assert [p.text for p in found[1].after if p.changed] == [
        "Оплату можно внести на счёт товарищества. "
    ]


def test_a_text_files_diff_shows_each_hunk_with_its_line() -> None:
    diff = [
        "--- a/common/text.typ",
        "+++ b/common/text.typ",
        "@@ -10,2 +10,2 @@",
        " keep",
        "-old wording",
        "+new wording",
    ]
    [change] = unified_changes("common/text.typ", diff)
    assert change.where == "common/text.typ, line 10" and change.kind == "changed"
    assert [p.text for p in change.before] == ["old wording"]


def test_the_redline_reads_tpl_cores_dict_and_the_engines_extras() -> None:
    found = {
        "a": "a" * 64,
        "b": "b" * 64,
        "files": [{"name": "reminder.docx", "change": "changed", "diff": []}],
        "schema": {"added": ["fields.meeting_date"], "removed": [], "changed": []},
        "provisions": {"added": [], "removed": ["gk-353"], "edition_changed": []},
        "paragraphs": [
            {"where": "paragraph 12", "change": "changed", "before": BEFORE, "after": AFTER}
        ],
        "pages": {"a": [b"\x89PNG-a1"], "b": ["iVBORw==", b"\x89PNG-b2"]},
    }
    engines = {
        "paragraphs": [],
        "pages": [
            {"page": 1, "a": "data:image/png;base64,iVBORw==", "b": None},
            {"page": 2, "a": None, "b": "data:image/png;base64,iVBORw=="},
        ],
        "schema": {"added": ["fields.x"], "breaking": ["fields.x"]},
        "render_problems": ["b: LibreOffice is not installed"],
    }
    other = redline_view("a" * 64, "b" * 64, engines)
    assert other.pages == ((True, False), (False, True))
    assert [c.where for c in other.schema] == ["fields.x"], "breaking is not listed twice"
    assert other.render_problems == ("b: LibreOffice is not installed",)
    assert page_image(engines, "b", 2) == b"\x89PNG" and page_image(engines, "b", 1) is None
    view = redline_view("a" * 64, "b" * 64, found)
    assert [c.where for c in view.source] == ["paragraph 12"], "the DOCX itself is not listed again"
    assert [(c.kind, c.where) for c in view.schema] == [("added", "fields.meeting_date")]
    assert [(c.kind, c.where) for c in view.citations] == [("removed", "gk-353")]
    assert view.pages == ((True, True), (False, True))
    assert page_image(found, "b", 1) == b"\x89PNG" and page_image(found, "a", 2) is None
