"""What a Jinja template reads (HTML and Word), with its file and line or its Word location;
a tag split across Word runs inside a paragraph is read whole (docxtpl joins it, proven here by
rendering), one split across paragraphs is a problem at its paragraph."""

from __future__ import annotations

import io

from docx import Document
from docxtpl import DocxTemplate

from service.templates.checks.jinja_paths import docx_reads, html_reads, plain_tags
from tests.templates.checks.word_builders import docx

HTML = """<html><body>
<h1>{{ t.creditor.name }}</h1>
{% set c = t.creditor %}<p>{{ c.address }}</p>
<table>{% for row in t.debt.lines %}<tr><td>{{ row.period }}</td>
<td>{{ row["amount"] }}</td></tr>{% endfor %}</table>
<p>{{ fields.meeting_date | default("") }} {{ t.basis.items() }} {{ loop_var }}</p>
{% for k in range(3) %}{{ k }}{% endfor %}
</body></html>
"""


def test_html_reads_with_their_lines() -> None:
    reads, problems = html_reads("letter.html", HTML.encode())
    assert problems == []
    assert sorted({(r.path, r.line) for r in reads}) == [
        ("fields.meeting_date", 6),
        ("loop_var", 6),
        ("t.basis", 6),
        ("t.creditor", 3),
        ("t.creditor.address", 3),
        ("t.creditor.name", 2),
        ("t.debt.lines", 4),
        ("t.debt.lines.amount", 5),
        ("t.debt.lines.period", 4),
    ]
    assert {r.file for r in reads} == {"letter.html"}


def test_an_html_syntax_error_is_located() -> None:
    _reads, (problem,) = html_reads("letter.html", b"<p>\n{{ t.creditor.name }\n</p>")
    assert (problem.code, problem.file, problem.line) == ("template_syntax", "letter.html", 2)


def test_docxtpl_tag_forms_and_curly_quotes_are_read_as_docxtpl_reads_them() -> None:
    assert plain_tags("{%tr for r in t.x %}") == "{% for r in t.x %}"
    assert plain_tags("{{r t.y }} «{{ t.z[“a”] }}» {{ t.z[«b»] }}") == (
        '{{ t.y }} «{{ t.z["a"] }}» {{ t.z["b"] }}'
    )


def test_word_reads_in_paragraphs_cells_header_and_footer() -> None:
    data = docx(
        ["Уважаемый собственник!", ["{{ t.cred", "itor.na", "me }}"]],
        table=[
            ["Период", "Сумма"],
            ["{%tr for row in t.debt.lines %}", ""],
            ["{{ row.period }}", "{{ row.amount }}"],
            ["{%tr endfor %}", ""],
        ],
        header="{{ t.creditor.address }}",
        footer="№ {{ t.number }}",
    )
    reads, problems = docx_reads("reminder.docx", data)
    assert problems == []
    assert sorted({(r.path, r.where) for r in reads}) == [
        ("t.creditor.address", "header"),
        ("t.creditor.name", "paragraph 2"),
        ("t.debt.lines", "table 1 row 2 cell 1"),
        ("t.debt.lines.amount", "table 1 row 3 cell 2"),
        ("t.debt.lines.period", "table 1 row 3 cell 1"),
        ("t.number", "footer"),
    ]


def test_docxtpl_joins_a_tag_split_across_three_runs() -> None:
    """Why a tag split across runs inside one paragraph is no problem: docxtpl renders it."""
    data = docx([["{{ t.cred", "itor.na", "me }}"]])
    assert len(Document(io.BytesIO(data)).paragraphs[0].runs) == 3
    template = DocxTemplate(io.BytesIO(data))
    template.render({"t": {"creditor": {"name": "ОСИ «Көктем-3»"}}}, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    assert Document(io.BytesIO(out.getvalue())).paragraphs[0].text == "ОСИ «Көктем-3»"


def test_a_tag_split_across_paragraphs_is_found_at_its_paragraph() -> None:
    data = docx(["Уважаемый собственник!", "{{ t.creditor.", "name }} напоминает"])
    _reads, problems = docx_reads("reminder.docx", data)
    assert [(p.code, p.where) for p in problems] == [
        ("split_tag", "paragraph 2"),
        ("split_tag", "paragraph 3"),
    ]
    assert "{{ t.creditor." in problems[0].message


def test_a_misspelt_variable_split_across_runs_is_read_at_its_paragraph() -> None:
    data = docx(["Уважаемый собственник!", ["{{ t.cred", "itor.nmae", " }}"]])
    reads, problems = docx_reads("reminder.docx", data)
    assert problems == []
    assert [(r.path, r.where) for r in reads] == [("t.creditor.nmae", "paragraph 2")]
