"""Render N distinct reminders in-process and print docs/s and p50/p99 latency.

    .venv/bin/python -m bench.bench_render [N] [--threads T]

Every document differs (debtor name, number, amounts, language alternates kk/ru), so Typst's
layout memo cannot serve a cached page: this is the cost of a new notice. The first render
(font loading, compiler creation) is timed apart as the cold start.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service.bundled import bundled_dir
from service.demo.samples import sample_case, sample_facts
from service.documents.facts import DocumentFacts
from service.documents.present import present
from service.kernel.period import Period
from service.law.loader import load_law
from service.rendering.base import TemplateRef
from service.rendering.typst import TypstRenderer

TEMPLATES = bundled_dir("templates")

SURNAMES = ("Жақсыбеков", "Өміржанов", "Сейітқали", "Ковальчук", "Нұрғалиев", "Іскакова")


def distinct_facts(base: dict[str, DocumentFacts], i: int) -> DocumentFacts:
    """The sample facts with another debtor, unit and number: a new document for Typst."""
    facts = base["kk" if i % 2 else "ru"]
    case = facts.case
    debtor = dataclasses.replace(
        case.debtor, full_name=f"{SURNAMES[i % len(SURNAMES)]} Нұрлан №{i}"
    )
    unit = dataclasses.replace(case.unit, number=str(i % 300 + 1))
    assert facts.issuance is not None
    return dataclasses.replace(
        facts,
        case=dataclasses.replace(case, debtor=debtor, unit=unit),
        issuance=dataclasses.replace(facts.issuance, number=f"2026-{i + 1:05d}"),
    )


def render(renderer: TypstRenderer, facts: DocumentFacts) -> bytes:
    template = TemplateRef(facts.kind, facts.language)
    return renderer.render(template, present(facts), created=facts.issue_date)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--templates", type=Path, default=TEMPLATES)
    args = parser.parse_args()

    law = load_law(bundled_dir("legal"))
    case = sample_case(months=12, first=Period(2025, 11))
    base = {lang: sample_facts(law, "reminder", lang, case=case) for lang in ("kk", "ru")}
    renderer = TypstRenderer(args.templates)
    started = time.perf_counter()
    render(renderer, distinct_facts(base, -1))
    render(renderer, distinct_facts(base, -2))
    cold = time.perf_counter() - started

    def one(i: int) -> tuple[float, int]:
        t0 = time.perf_counter()
        pdf = render(renderer, distinct_facts(base, i))
        return time.perf_counter() - t0, len(pdf)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        results = list(pool.map(one, range(args.n)))
    wall = time.perf_counter() - t0
    times = sorted(r[0] * 1000 for r in results)
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    print(f"documents        {args.n} (12-month table, kk/ru alternating, threads={args.threads})")
    print(f"cold start       {cold * 1000:.0f} ms (first kk + ru render, compilers and fonts)")
    print(f"throughput       {args.n / wall:.1f} docs/s")
    print(f"latency p50      {statistics.median(times):.1f} ms")
    print(f"latency p99      {p99:.1f} ms")
    print(f"mean PDF size    {statistics.mean(r[1] for r in results) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
