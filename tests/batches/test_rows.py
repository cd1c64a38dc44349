"""Checking an export: every bad row named by its line and column, all at once; good rows
grouped into the case contract's shape."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from service.batches.exports import check_export
from service.batches.loader import load_mapping
from service.batches.rows import amount_text, period_text
from service.batches.sheets import decode, read_sheet
from tests.batches.exports import HEADER, csv_bytes, export_rows, xlsx_bytes

MAPPING = load_mapping()


def test_a_good_export_makes_one_case_per_account_with_its_ledger() -> None:
    checked = check_export("osv.xlsx", xlsx_bytes(export_rows(3)), MAPPING)
    assert checked.problems == []
    assert checked.rows == 12
    assert [c.draft.external_id for c in checked.cases] == ["ЛС-00001", "ЛС-00002", "ЛС-00003"]
    first = checked.cases[0]
    assert first.draft.first_line == 2
    case = first.case
    assert case.debtor.iin == "780412300566"
    assert case.debtor.language == "kk"
    assert case.unit.type == "flat"
    assert [(b.contribution.value, b.protocol.date) for b in case.basis] == [
        ("current", dt.date(2025, 12, 20)),
        ("accumulative", dt.date(2025, 12, 20)),
    ]
    assert [(c.period, c.contribution.value, c.amount) for c in case.charges] == [
        ("2026-08", "current", Decimal("9360.00")),
        ("2026-08", "accumulative", Decimal("1248.00")),
        ("2026-09", "current", Decimal("9360.00")),
        ("2026-09", "accumulative", Decimal("1248.00")),
    ]
    assert [(p.date, p.amount) for p in case.payments] == [
        (dt.date(2026, 8, 20), Decimal("5000.00"))
    ]
    assert checked.cases[1].case.debtor.language == "ru"


def test_the_same_export_as_windows_cyrillic_csv_reads_the_same() -> None:
    from_xlsx = check_export("osv.xlsx", xlsx_bytes(export_rows(2)), MAPPING)
    from_csv = check_export("osv.csv", csv_bytes(export_rows(2)), MAPPING)
    assert from_csv.problems == []
    assert [c.case for c in from_csv.cases] == [c.case for c in from_xlsx.cases]
    utf8 = check_export("osv.csv", csv_bytes(export_rows(2), encoding="utf-8-sig"), MAPPING)
    assert [c.case for c in utf8.cases] == [c.case for c in from_xlsx.cases]


def test_every_bad_row_is_reported_with_its_line_and_column() -> None:
    rows = export_rows(4)
    for row in rows[:4]:
        row[2] = "780412300567"  # lines 2–5 (account 1): ИИН checksum, reported once
    rows[1][12] = "девять тысяч"  # line 3: Начислено
    rows[4][10] = "13.2026"  # line 6: Период
    rows[5][11] = "Отопление"  # line 7: Вид взноса unknown
    rows[8][5] = None  # line 10: Вид помещения empty
    rows[13][1] = "Другой Человек"  # line 15: another owner on the same account
    rows[14][13] = 100  # line 16: paid without a payment date
    checked = check_export("osv.xlsx", xlsx_bytes(rows), MAPPING)
    found = [(p.line, p.column, p.code) for p in checked.problems]
    assert found == [
        (2, "ИИН", "iin_checksum"),
        (3, "Начислено", "invalid_amount"),
        (6, "Период", "invalid_period"),
        (7, "Вид взноса", "unknown_value"),
        (10, "Вид помещения", "required"),
        (15, "Собственник", "inconsistent"),
        (16, "Дата оплаты", "required"),
    ]
    assert checked.cases == []  # every account has a bad row
    assert checked.bad_accounts == 4
    assert "line 3, column «Начислено»" in str(checked.problems[1])


def test_a_missing_column_is_named_once_at_the_header() -> None:
    header = [h if h != "Период" else "Месяц" for h in HEADER]
    checked = check_export("osv.xlsx", xlsx_bytes(export_rows(2), header), MAPPING)
    assert next((p.line, p.column, p.code) for p in checked.problems) == (
        1,
        "Период",
        "column_missing",
    )


def test_a_duplicate_month_is_named_at_the_line_that_repeats_it() -> None:
    rows = export_rows(1)
    rows[2][10] = rows[0][10]  # the second month's current charge now repeats the first's
    checked = check_export("osv.xlsx", xlsx_bytes(rows), MAPPING)
    assert [(p.line, p.column, p.code) for p in checked.problems] == [
        (4, "Период", "charge_duplicate")
    ]


@pytest.mark.parametrize(
    ("cell", "text"),
    [(9360, "9360.00"), (62.4, "62.40"), (0.1 + 0.2, "0.30"), ("9 360,50", "9360.50")],
)
def test_amounts_from_numbers_and_texts(cell: object, text: str) -> None:
    assert amount_text(cell) == text  # type: ignore[arg-type]


def test_an_amount_with_fractions_of_a_tiyn_is_refused() -> None:
    with pytest.raises(ValueError, match="2 decimal places"):
        amount_text("10.005")


@pytest.mark.parametrize(
    ("cell", "text"),
    [(dt.date(2026, 3, 1), "2026-03"), ("03.2026", "2026-03"), ("2026-3", "2026-03"),
     ("01.03.2026", "2026-03")],
)  # fmt: skip
def test_periods(cell: object, text: str) -> None:
    assert period_text(cell) == text  # type: ignore[arg-type]


def test_csv_encodings() -> None:
    assert decode("Лицевой счёт".encode("cp1251")) == "Лицевой счёт"
    assert decode("Сәрсенбаева Әйгерім".encode("kz1048")) == "Сәрсенбаева Әйгерім"
    assert decode("\ufeffЛицевой".encode()) == "Лицевой"
    sheet = read_sheet("x.csv", b"a;b\n1;2\n\n3;4\n")
    assert sheet.header == ["a", "b"]
    assert [line for line, _ in sheet.rows] == [2, 4]


def test_the_sample_export_in_docs_checks_clean() -> None:
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "docs" / "batch-sample.csv"
    checked = check_export(sample.name, sample.read_bytes(), MAPPING)
    assert checked.problems == [] and len(checked.cases) == 3
