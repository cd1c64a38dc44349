"""1C-style exports for tests, the benchmark and the README's sample: the default mapping's
columns, one row per charge (an account, a month, a contribution), written as XLSX (openpyxl:
periods and dates as date cells, amounts as numbers, as 1C saves them) or CSV (
``;``, as 1C writes it by default: Windows Cyrillic, KZ-1048 for the Kazakh letters).

    python -m tests.batches.exports docs/batch-sample.csv --accounts 3 --encoding utf-8-sig
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HEADER = [
    "Лицевой счет",
    "Собственник",
    "ИИН",
    "Язык",
    "Адрес",
    "Вид помещения",
    "Помещение",
    "Площадь",
    "Протокол",
    "Дата протокола",
    "Период",
    "Вид взноса",
    "Начислено",
    "Оплачено",
    "Дата оплаты",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IIN = "780412300566"
"""The contract case's (fictitious) ИИН, valid by its checksum."""
NAMES = ("Жақсыбеков Нұрлан Әбілқайырұлы", "Иванова Анна Сергеевна", "Сәрсенбаева Әйгерім")


def account(index: int) -> str:
    return f"ЛС-{index:05d}"


def export_rows(
    accounts: int,
    *,
    months: Sequence[str] = ("2026-08", "2026-09"),
    start: int = 1,
    accumulative: bool = True,
) -> list[list[Any]]:
    """Each account: its current (and accumulative) contributions for each month; the first
    month paid in part (a payment on its row) when there are several. One month without the
    accumulative contribution: one row per account."""
    rows: list[list[Any]] = []
    for index in range(start, start + accounts):
        for number, month in enumerate(months):
            year, mon = (int(p) for p in month.split("-"))
            kinds = [("Текущие взносы", 9360), ("Накопительные взносы", 1248)]
            for contribution, amount in kinds if accumulative else kinds[:1]:
                first = number == 0 and len(months) > 1
                paid = 5000 if first and contribution == "Текущие взносы" else None
                rows.append(
                    [
                        account(index),
                        NAMES[index % len(NAMES)],
                        IIN,
                        "Казахский" if index % 2 else "Русский",
                        f"г. Алматы, мкр. Коктем-3, д. 21, кв. {index}",
                        "Квартира",
                        str(index),
                        62.4,
                        "3",
                        dt.date(2025, 12, 20),
                        dt.date(year, mon, 1),
                        contribution,
                        amount,
                        paid,
                        dt.date(year, mon, 20) if paid else None,
                    ]
                )
    return rows


def xlsx_bytes(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("ОСВ")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, *, encoding: str = "kz1048"
) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return text.getvalue().encode(encoding)


def _csv_cell(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.strftime("%d.%m.%Y")
    if isinstance(cell, float | int):
        return f"{cell:.2f}".replace(".", ",")
    return str(cell)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path, help="an .xlsx or .csv file to write")
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--encoding", default="kz1048", help="of a CSV (1C: Windows Cyrillic)")
    args = parser.parse_args()
    rows = export_rows(args.accounts)
    target: Path = args.target
    data = xlsx_bytes(rows) if target.suffix == ".xlsx" else csv_bytes(rows, encoding=args.encoding)
    target.write_bytes(data)
    print(f"{target}: {len(rows)} rows, {args.accounts} accounts")


if __name__ == "__main__":
    main()
