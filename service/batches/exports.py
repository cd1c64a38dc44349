"""Checking a whole export before anything is stored: every cell, then every case built from
the rows (the same validation as ``PUT /v1/cases``), every problem named by line and column."""

from __future__ import annotations

from dataclasses import dataclass

from service.batches.mapping import FIELDS, ColumnMapping
from service.batches.rows import CaseDraft, RowProblem, group, locate, normalise
from service.batches.sheets import read_sheet
from service.cases.schemas import CaseIn
from service.errors import ValidationFailed
from service.kit.fields import parse


@dataclass(frozen=True)
class ValidCase:
    draft: CaseDraft
    case: CaseIn


@dataclass(frozen=True)
class CheckedExport:
    rows: int
    cases: list[ValidCase]
    """The accounts whose every row is good, in the order of the file."""
    problems: list[RowProblem]
    """Every problem, by line then column."""
    bad_accounts: int


def check_export(filename: str, data: bytes, mapping: ColumnMapping) -> CheckedExport:
    sheet = read_sheet(filename, data, header_row=mapping.header_row, sheet=mapping.sheet)
    rows, problems = normalise(sheet, mapping)
    drafts, disagreements = group(rows, mapping)
    problems += disagreements
    bad_lines = {p.line for p in problems}
    known = {(p.line, p.field) for p in problems}
    cases = []
    for draft in drafts:
        try:
            case = parse(CaseIn, draft.payload)
        except ValidationFailed as failed:
            for error in failed.errors:
                line, column, name = locate(draft, error.path, mapping)
                if (line, name) not in known:  # not the same cell again
                    known.add((line, name))
                    problems.append(RowProblem(line, column, name, error.code, error.message))
            continue
        if not bad_lines.intersection(draft.lines):
            cases.append(ValidCase(draft, case))
    problems.sort(key=lambda p: (p.line, _order(p.field)))
    return CheckedExport(len(rows), cases, problems, len(drafts) - len(cases))


def _order(name: str) -> int:
    return FIELDS.index(name) if name in FIELDS else len(FIELDS)
