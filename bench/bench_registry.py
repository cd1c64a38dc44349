"""Write the outgoing register for N synthetic documents as XLSX and CSV and print the time.

    .venv/bin/python -m bench.bench_registry [N]

Pure: the rows are built in memory (no database), so the figure is the writers' own cost —
openpyxl in write-only mode for the XLSX, the standard csv module for the CSV.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from service.documents.wording import DOCUMENT_KINDS
from service.outgoing.register import Outcome, RegisterRow, RowStatus, to_csv
from service.outgoing.xlsx import to_xlsx


def rows(count: int) -> list[RegisterRow]:
    return [
        RegisterRow(
            register="outgoing",
            year=2026,
            sequence=i,
            number=f"2026-{i:05d}",
            status=RowStatus.ISSUED,
            issue_date=dt.date(2026, 11, 24),
            kind="reminder",
            kind_label=DOCUMENT_KINDS["reminder"],
            case=f"KKT3-{i:05d}",
            debtor="Жақсыбеков Нұрлан Әбілқайырұлы",
            outcome=Outcome("delivered", dt.date(2026, 11, 25), "registered_post"),
            sha256="0" * 64,
            document_id=str(i),
        )
        for i in range(1, count + 1)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, nargs="?", default=10000)
    count = parser.parse_args().count
    register = rows(count)
    start = time.perf_counter()
    workbook = to_xlsx(register, created=dt.datetime(2026, 11, 27, tzinfo=dt.UTC))
    xlsx = time.perf_counter() - start
    start = time.perf_counter()
    text = to_csv(register)
    csv = time.perf_counter() - start
    print(f"xlsx: {count} rows in {xlsx:.2f} s ({len(workbook) // 1024} KiB)")
    print(f"csv:  {count} rows in {csv:.3f} s ({len(text) // 1024} KiB)")


if __name__ == "__main__":
    main()
