"""Render N distinct reminders in-process and print docs/s and p50/p99 latency.

    .venv/bin/python -m bench.bench_render [N] [--threads T]

Every document differs (debtor name, number, amounts, language alternates kk/ru), so Typst's
layout memo cannot serve a cached page: this is the cost of a new notice. The first render
(font loading, compiler creation) is timed apart as the cold start.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from service.rendering.samples import TEMPLATES, sample_facts
from service.rendering.typst_renderer import TypstRenderer

SURNAMES = ("Жақсыбеков", "Өміржанов", "Сейітқали", "Ковальчук", "Нұрғалиев", "Іскакова")


def distinct_facts(base: dict[str, dict[str, Any]], i: int) -> dict[str, Any]:
    facts = copy.deepcopy(base["kk" if i % 2 else "ru"])
    facts["number"] = f"2026-{i + 1:05d}"
    facts["debtor"]["full_name"] = f"{SURNAMES[i % len(SURNAMES)]} Нұрлан №{i}"
    facts["unit"]["number"] = str(i % 300 + 1)
    facts["debt"]["penalty"]["total"] = f"{i % 1000 + 1}.{i % 100:02d}"
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--templates", type=Path, default=TEMPLATES)
    args = parser.parse_args()

    base = {
        lang: sample_facts(lang, months=12, first=dt.date(2025, 11, 1)) for lang in ("kk", "ru")
    }
    renderer = TypstRenderer(args.templates)
    started = time.perf_counter()
    renderer.render(distinct_facts(base, -1))
    renderer.render(distinct_facts(base, -2))
    cold = time.perf_counter() - started

    def one(i: int) -> tuple[float, int]:
        t0 = time.perf_counter()
        pdf = renderer.render(distinct_facts(base, i))
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
