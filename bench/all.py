"""Every figure of issue 12 in one run, on the same notice (a Kazakh reminder of the contract
case), and the baselines as ratios.

    .venv/bin/python -m bench.all [--n 200] [--batch 10000] [--database-url URL] [--skip …]

Sections (each prints as it finishes; ``--skip http,batch,pack,docx,…`` leaves some out):
  floor   bare Typst compile of the notice + the cached-key signature: the per-document floor
  single  in-process issuing, one transaction per document (``documents.service.issue``)
  bulk    in-process issuing through ``issue_many`` (groups, threads rendering and signing)
  upsert  case upserts: one per transaction (PUT) vs ``upsert_many``, 500 per transaction (batch)
  http    ``POST /v1/cases/{id}/documents`` against ``talap serve --workers 2``, 1/8/32 clients
  batch   a ``--batch``-case batch end to end through ``issue_many`` in its own process: docs/s,
          peak RSS, each half's rate (linear in N keeps them equal)
  pack    the evidence pack (PDF) of a case with 20 documents
  docx    docxtpl + LibreOffice through a warm unoserver pool (the Word engine), the same notice
The machine's load average is printed first and last: other work on the cores skews all of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.world import World, percentile, put_cases, world

ROOT = Path(__file__).resolve().parent.parent
figures: dict[str, float] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="documents per in-process section")
    parser.add_argument("--batch", type=int, default=10_000, help="cases in the batch section")
    parser.add_argument("--http-n", type=int, default=100, help="requests per client level")
    parser.add_argument("--database-url")
    parser.add_argument("--skip", default="", help="sections to leave out, comma-separated")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    print(f"load average before: {_load()}  (2 cores shared: figures are lower under load)")
    with world(args.database_url) as w:
        put_cases(w, 0, 2 * args.n + 10)
        for name, section in (
            ("floor", lambda: floor(w, args.n)),
            ("single", lambda: single(w, args.n)),
            ("bulk", lambda: bulk(w, args.n)),
            ("upsert", lambda: upserts(w, args.n)),
            ("docx", lambda: docx(w, min(args.n, 40))),
        ):
            _section(name, skip, section)
    _section("http", skip, lambda: http(args.database_url, args.http_n))
    _section("batch", skip, lambda: batch(args.batch, args.database_url))
    _section("pack", skip, pack)
    ratios()
    print(f"load average after: {_load()}")


def _section(name: str, skip: set[str], run: Callable[[], None]) -> None:
    """One section; a section that fails (e.g. a server too slow to start on a loaded machine)
    is reported and the others still run."""
    if name in skip:
        return
    try:
        run()
    except Exception as failed:
        print(f"{name:8s} failed: {type(failed).__name__}: {failed}")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _report(name: str, seconds: list[float], count: int, elapsed: float) -> None:
    rate = count / elapsed
    figures[f"{name}_docs_per_s"] = rate
    p50, p99 = statistics.median(seconds) * 1000, percentile(seconds, 0.99) * 1000
    cpu = f", {_cpu[0] * 1000:.0f} ms CPU/doc" if _cpu[0] else ""
    _cpu[0] = 0.0
    print(
        f"{name:8s} {rate:7.1f} docs/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms"
        f"   ({count} docs{cpu})"
    )


def _timed(count: int, one: Callable[[int], None], workers: int = 1) -> tuple[list[float], float]:
    def timed(i: int) -> float:
        start = time.perf_counter()
        one(i)
        return time.perf_counter() - start

    one(count)  # warm-up (fonts, compiler, key), not counted
    started, cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        seconds = list(pool.map(timed, range(count)))
    _cpu[0] = (time.process_time() - cpu) / count
    return seconds, time.perf_counter() - started


_cpu = [0.0]
"""CPU seconds per document of the last timed section (this process, all threads): a figure
the load of other processes skews far less than a rate."""


def _view(w: World, case: str, i: int) -> tuple[Any, Any, dict[str, Any]]:
    """The notice's facts numbered ``i`` and its view (as issuing renders it)."""
    from service.documents import service as documents
    from service.documents.facts import Issuance
    from service.documents.present import present
    from service.documents.schemas import IssueIn

    issuing = w.wiring.issuing()
    request = IssueIn(kind="reminder", language="kk").to_request()
    with w.wiring.db.transaction(read_only=True) as session:
        prepared = documents.prepare(session, issuing, w.caller, case, request)
    issued = prepared.ready().issued(
        Issuance(f"2026-{i:05d}", str(uuid.uuid4()), f"https://t.example/v/{i}", True)
    )
    return prepared, issued, present(issued)


def floor(w: World, n: int) -> None:
    from service.rendering.base import TemplateRef

    renderer, signer = w.wiring.renderer, w.wiring.signer
    views = [_view(w, f"BENCH-{i}", i)[2] for i in range(n + 1)]
    template = TemplateRef("reminder", "kk")
    day = dt.date(2026, 11, 24)

    def one(i: int) -> None:
        pdf = renderer.render(template, views[i], created=day)
        signer.sign(pdf, reason=f"reminder № {i}", location="Kazakhstan")

    seconds, elapsed = _timed(n, one)
    _report("floor", seconds, n, elapsed)
    floor_batched(w, views, day, n)


TOGETHER = 8


def floor_batched(w: World, views: list[dict[str, Any]], day: dt.date, n: int) -> None:
    """The floor with ``TOGETHER`` notices in one Typst compile, split into one PDF/A each
    (``TypstEngine.render_many``, ``TALAP_RENDER_BATCH``), each signed; two threads. Beside the
    floor above it says whether laying notices out together pays for this notice."""
    from service.bundled import bundled_dir
    from service.rendering.engines import Rendered, SourceBundle
    from service.rendering.typst.engine import TypstEngine

    root = bundled_dir("templates")
    files = {f"common/{p.name}": p.read_bytes() for p in sorted((root / "common").glob("*.typ"))}
    files["kk/reminder.typ"] = (root / "kk" / "reminder.typ").read_bytes()
    bundle = SourceBundle(files, "kk/reminder.typ")
    signer = w.wiring.signer
    with tempfile.TemporaryDirectory() as cache:
        engine = TypstEngine(Path(cache))
        engine.render_many("floor", bundle, views[:2], created=day)  # the compiler, warm
        chunks = [views[i : i + TOGETHER] for i in range(0, n, TOGETHER)]

        def chunk(part: list[dict[str, Any]]) -> None:
            for i, done in enumerate(engine.render_many("floor", bundle, part, created=day)):
                assert isinstance(done, Rendered), done
                signer.sign(done.pdf, reason=f"reminder № {i}", location="Kazakhstan")

        started, cpu = time.perf_counter(), time.process_time()
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(chunk, chunks))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    figures["floor_batched_docs_per_s"] = n / elapsed
    print(
        f"floor{TOGETHER:<4d}{n / elapsed:7.1f} docs/s   ({TOGETHER} notices a compile, "
        f"split and signed, 2 threads; {cpu / n * 1000:.0f} ms CPU/doc)"
    )


def single(w: World, n: int) -> None:
    from service.documents import service as documents
    from service.documents.schemas import IssueIn

    issuing, request = w.wiring.issuing(), IssueIn(kind="reminder", language="kk")

    def one(i: int) -> None:
        with w.wiring.db.transaction() as session:
            documents.issue(session, issuing, w.caller, f"BENCH-{i}", request)

    seconds, elapsed = _timed(n, one)
    _report("single", seconds, n, elapsed)


def bulk(w: World, n: int) -> None:
    from service.documents.bulk import BulkItem, issue_many
    from service.documents.schemas import IssueIn

    request = IssueIn(kind="reminder", language="kk")
    items = [BulkItem(f"BENCH-{n + 1 + i}", request, f"bulk:{i}") for i in range(n)]
    heard: list[float] = []
    started, cpu = time.perf_counter(), time.process_time()
    outcomes = issue_many(
        w.wiring.db, w.wiring.issuing(), w.caller, items, progress=lambda _: heard.append(1)
    )
    elapsed = time.perf_counter() - started
    _cpu[0] = (time.process_time() - cpu) / n
    assert all(o.status == "issued" for o in outcomes), [o for o in outcomes if o.errors][:1]
    per_doc = [elapsed / n] * n  # one commit per group: per-document latency is the group's
    _report("bulk", per_doc, n, elapsed)


def upserts(w: World, n: int) -> None:
    first = 10 * n
    one_by_one = put_cases(w, first, n, per_transaction=1)
    batched = put_cases(w, first + n, 5 * n, per_transaction=500)
    figures["upsert_single_per_s"] = n / one_by_one
    figures["upsert_batched_per_s"] = 5 * n / batched
    print(
        f"upserts  {n / one_by_one:7.1f} cases/s one per transaction, "
        f"{5 * n / batched:7.1f} cases/s 500 per transaction"
    )


def docx(w: World, n: int) -> None:
    from service.rendering.docx import pool
    from service.rendering.docx.engine import DocxEngine
    from service.rendering.engines import SourceBundle

    if pool.missing():
        print(f"docx     skipped: {pool.missing()}")
        return
    engine = DocxEngine(w.wiring.settings.data_dir / "docx-bench", pool_size=2)
    source = (ROOT / "templates" / "word" / "kk" / "reminder.docx").read_bytes()
    bundle = SourceBundle({"reminder.docx": source}, "reminder.docx")
    views = [{**_view(w, f"BENCH-{i}", i)[2], "fields": {}} for i in range(n + 1)]
    day = dt.date(2026, 11, 24)
    try:
        seconds, elapsed = _timed(
            n, lambda i: engine.render("bench", bundle, views[i], created=day), workers=2
        )
    finally:
        engine.close()
    _report("docx", seconds, n, elapsed)


def http(database_url: str | None, n: int) -> None:
    from bench.bench_http import run
    from bench.served import served_talap

    with served_talap(database_url, 2) as served:
        for clients in (1, 8, 32):
            args = argparse.Namespace(n=n, workers=2, clients=clients)
            started = time.perf_counter()
            latencies, elapsed = run(served, args)
            p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
            figures[f"http{clients}_docs_per_s"] = n / elapsed
            print(
                f"http{clients:<4d} {n / elapsed:7.1f} docs/s   p50 {p50:7.1f} ms   "
                f"p99 {p99:7.1f} ms   ({n} docs, setup+run {time.perf_counter() - started:.0f} s)"
            )


def batch(n: int, database_url: str | None) -> None:
    command = [sys.executable, "-m", "bench.bench_bulk", "--n", str(n)]
    if database_url:
        command += ["--database-url", database_url]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"batch    failed: {done.stderr.strip().splitlines()[-1:]}")
        return
    result = json.loads(done.stdout.strip().splitlines()[-1])
    figures["batch_docs_per_s"] = result["docs_per_s"]
    print(
        f"batch    {result['docs_per_s']:7.1f} docs/s   {n} cases, peak RSS "
        f"{result['peak_rss_mb']:.0f} MB, halves {result['first_half_docs_per_s']:.1f} / "
        f"{result['second_half_docs_per_s']:.1f} docs/s, upserts "
        f"{result['upserts_per_s']:.0f} cases/s, group p50 {result['group_p50_ms']:.0f} ms, "
        f"{result['cpu_ms_per_doc']:.0f} ms CPU/doc"
    )


def pack() -> None:
    from fastapi.testclient import TestClient

    from service.bootstrap import build_wiring, migrate_database
    from service.clock import FixedClock
    from service.main import create_app
    from service.settings import Settings
    from tests.api import CASE, make_tenant
    from tests.evidence.pack_builders import walk_ladder

    with tempfile.TemporaryDirectory(prefix="talap-bench-pack-") as folder:
        clock = FixedClock(dt.date(2026, 11, 24))
        wiring = build_wiring(Settings(data_dir=Path(folder)), clock=clock)
        migrate_database(wiring)
        tenant = make_tenant(wiring)
        with TestClient(create_app(wiring)) as client:
            walk_ladder(client, tenant, clock)
            documents = 3
            while documents < 20:
                body = {"kind": "statement", "language": "kk" if documents % 2 else "ru"}
                response = client.post(
                    f"/v1/cases/{CASE}/documents", json=body, headers=tenant.headers()
                )
                assert response.status_code == 201, response.text
                documents += 1
            url, headers = f"/v1/cases/{CASE}/evidence-pack", tenant.headers(tenant.auditor_key)
            client.get(url, params={"format": "pdf"}, headers=headers)  # warm-up
            seconds = []
            for _ in range(3):
                start = time.perf_counter()
                response = client.get(url, params={"format": "pdf"}, headers=headers)
                assert response.status_code == 200, response.text
                seconds.append(time.perf_counter() - start)
            figures["pack_s"] = statistics.median(seconds)
            print(
                f"pack     {statistics.median(seconds) * 1000:7.0f} ms p50 for a case of 20 "
                f"documents ({len(response.content) / 1024:.0f} KiB)"
            )
        wiring.close()


def ratios() -> None:
    docx_rate = figures.get("docx_docs_per_s")
    floor_rate = figures.get("floor_docs_per_s")
    for name in ("single", "bulk", "batch", "http8"):
        rate = figures.get(f"{name}_docs_per_s")
        if rate is None:
            continue
        parts = []
        if floor_rate:
            parts.append(f"{rate / floor_rate:.2f}× the floor")
        if docx_rate:
            parts.append(f"{rate / docx_rate:.1f}× docxtpl+LibreOffice")
        print(f"ratio    {name:6s} {', '.join(parts)}")


if __name__ == "__main__":
    main()
