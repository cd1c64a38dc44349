"""The same reminder (ru, the sample case) through the three engines: per-document time.

    .venv/bin/python -m bench.bench_engines [N]

- typst: the bundled Typst reminder (``templates/ru/reminder.typ``), compiler reused;
- docx: the bundled Word reminder (``templates/word/ru/reminder.docx``) filled by docxtpl and
  converted to PDF/A-2b by a warm LibreOffice (unoserver pool of one, started before timing);
  the fill alone is timed too;
- html: the HTML reminder (``templates/html/ru/reminder.html``) through WeasyPrint.

Each engine renders once untimed (cold start: fonts, compiler, LibreOffice), then N documents.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from service.bundled import bundled_dir
from service.demo.samples import sample_facts
from service.documents.present import present
from service.law.loader import load_law
from service.rendering.base import TemplateRef
from service.rendering.docx import DocxEngine
from service.rendering.engines import SourceBundle
from service.rendering.html import HtmlEngine
from service.rendering.typst import TypstRenderer

TEMPLATES = bundled_dir("templates")
CREATED = dt.date(2026, 11, 24)


def timed(label: str, n: int, work: Callable[[int], Any]) -> None:
    start = time.perf_counter()
    work(-1)
    cold = time.perf_counter() - start
    times = []
    for i in range(n):
        start = time.perf_counter()
        work(i)
        times.append(time.perf_counter() - start)
    times.sort()
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    print(
        f"{label:<28} cold {cold * 1000:8.0f} ms   per document: "
        f"p50 {statistics.median(times) * 1000:7.1f} ms  p90 {p90 * 1000:7.1f} ms  "
        f"({n / sum(times):5.1f} docs/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=20)
    args = parser.parse_args()
    view = present(sample_facts(load_law(bundled_dir("legal")), "reminder", "ru"))

    def with_number(i: int) -> dict[str, Any]:
        text = {**view["text"]["ru"], "number": f"2026-{i + 2:05d}"}
        return {**view, "text": {"ru": text}}

    typst = TypstRenderer(TEMPLATES)
    reminder = TemplateRef("reminder", "ru")
    timed(
        "typst",
        args.n,
        lambda i: typst.render(reminder, with_number(i), created=CREATED),
    )

    html_dir = TEMPLATES / "html" / "ru"
    html = SourceBundle({p.name: p.read_bytes() for p in html_dir.iterdir()}, "reminder.html")
    html_engine = HtmlEngine()
    timed(
        "html (WeasyPrint)",
        args.n,
        lambda i: html_engine.render("bench-html", html, with_number(i), created=CREATED),
    )

    word = SourceBundle(
        {"reminder.docx": (TEMPLATES / "word" / "ru" / "reminder.docx").read_bytes()},
        "reminder.docx",
    )
    with tempfile.TemporaryDirectory() as work:
        docx = DocxEngine(Path(work), pool_size=1)
        try:
            timed("docx fill only (docxtpl)", args.n, lambda i: docx.fill(word, with_number(i)))
            missing = docx.missing()
            if missing:
                print(f"docx + LibreOffice: skipped — {missing}")
                return
            timed(
                "docx + LibreOffice (warm)",
                args.n,
                lambda i: docx.render("bench-docx", word, with_number(i), created=CREATED),
            )
        finally:
            docx.close()


if __name__ == "__main__":
    main()
