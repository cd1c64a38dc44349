"""What a finished batch must satisfy, read straight from the database (the kill -9 test and
``bench/bench_batch.py``): exactly one outcome per item, each issued item one document, no
number twice, and every number of each register either a document or a voided number with its
reason (before voided numbers existed: no gap at all)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Engine, inspect, text


@dataclass(frozen=True)
class BatchFacts:
    items: int
    outcomes: Counter[str]
    documents: int
    numbers: int
    problems: list[str]


def check_batch(engine: Engine, batch_id: str) -> BatchFacts:
    problems: list[str] = []
    with engine.connect() as connection:
        items = connection.execute(
            text("SELECT line, status, document_id, number, idempotency_key FROM batch_items "
                 "WHERE batch_id = :id"), {"id": batch_id}
        ).all()  # fmt: skip
        documents = connection.execute(
            text("SELECT id, number, creditor_id, year, register, sequence, idempotency_key "
                 "FROM issued_documents")
        ).all()  # fmt: skip
        voided: list[tuple[str, int, str, int, str | None]] = []
        if "voided_numbers" in inspect(connection).get_table_names():
            voided = [
                (str(r[0]), int(r[1]), str(r[2]), int(r[3]), r[4])
                for r in connection.execute(
                    text("SELECT creditor_id, year, register, sequence, reason "
                         "FROM voided_numbers")
                )
            ]  # fmt: skip
    outcomes = Counter(str(row.status) for row in items)
    if outcomes["pending"]:
        problems.append(f"{outcomes['pending']} item(s) without an outcome")
    keys = {str(row.idempotency_key) for row in items}
    of_batch = [d for d in documents if d.idempotency_key in keys]
    if len(of_batch) != outcomes["issued"]:
        problems.append(f"{len(of_batch)} documents for {outcomes['issued']} issued items")
    by_key = Counter(str(d.idempotency_key) for d in of_batch)
    problems += [f"key {k} has {n} documents" for k, n in by_key.items() if n > 1]
    issued_ids = {str(row.document_id) for row in items if row.status == "issued"}
    if issued_ids != {str(d.id) for d in of_batch}:
        problems.append("the items' documents are not the documents issued with their keys")
    numbers = Counter(str(d.number) for d in documents)
    problems += [f"number {n} issued {c} times" for n, c in numbers.items() if c > 1]
    registers: dict[tuple[str, int, str], set[int]] = {}
    for d in documents:
        registers.setdefault((str(d.creditor_id), int(d.year), str(d.register)), set()).add(
            int(d.sequence)
        )
    voided_at: dict[tuple[str, int, str], set[int]] = {}
    for creditor, year, register, sequence, reason in voided:
        if not reason:
            problems.append(f"voided number {register} {year} {sequence} has no reason")
        voided_at.setdefault((creditor, year, register), set()).add(sequence)
    for key in set(registers) | set(voided_at):
        used, gone = registers.get(key, set()), voided_at.get(key, set())
        if used & gone:
            problems.append(f"{key}: numbers both issued and voided: {sorted(used & gone)[:5]}")
        missing = set(range(1, max(used | gone) + 1)) - used - gone
        if missing:
            problems.append(f"{key}: numbers neither issued nor voided: {sorted(missing)[:10]}")
    return BatchFacts(len(items), outcomes, len(of_batch), len(numbers), problems)
