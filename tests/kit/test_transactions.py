"""One transaction per request, one lock order, archive writes tied to the commit.

Over real HTTP, on whichever database the suite runs on (SQLite, or PostgreSQL in CI):
concurrent writers of every kind get no server error (reliability review D1: PostgreSQL used to
deadlock), numbers stay gapless, one Idempotency-Key signs one PDF, and nothing reaches the
archive without a record (D2: a rolled-back issue used to leave its signed PDF)."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from service.audit.repository import events_for
from service.bootstrap import Wiring, build_wiring
from service.clock import FixedClock
from service.deliveries.models import DeliveryProofRow
from service.documents.models import DocumentCounterRow, IssuedDocumentRow
from service.law.context import LawContext
from service.main import create_app
from service.rendering.typst import TypstRenderer
from service.settings import Settings
from service.signing import Pkcs12Signer
from tests.api import CASE, WAIVER_MANDATE, Tenant, fixture, make_tenant

REMINDER = {"kind": "reminder", "language": "kk"}


class CountingSigner:
    """The real signer, counting its signatures (how many PDFs were signed)."""

    def __init__(self, inner: Pkcs12Signer) -> None:
        self.inner = inner
        self.signed = 0
        self._lock = threading.Lock()

    @property
    def subject(self) -> str:
        return self.inner.subject

    @property
    def is_development(self) -> bool:
        return self.inner.is_development

    @property
    def certificate_der(self) -> bytes:
        return self.inner.certificate_der

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        with self._lock:
            self.signed += 1
        return self.inner.sign(pdf, reason=reason, location=location)


@pytest.fixture
def counting(signer: Pkcs12Signer) -> CountingSigner:
    return CountingSigner(signer)


@pytest.fixture
def served(
    settings: Settings,
    clock: FixedClock,
    law: LawContext,
    renderer: TypstRenderer,
    counting: CountingSigner,
) -> Iterator[tuple[str, Wiring]]:
    wiring = build_wiring(settings, clock=clock, law=law, renderer=renderer, signer=counting)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(wiring), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", wiring
    server.should_exit = True
    thread.join(timeout=10)
    wiring.close()


def _post(base_url: str, tenant: Tenant, case: str = CASE, **headers: str) -> httpx.Response:
    with httpx.Client(base_url=base_url, timeout=120) as http:
        return http.post(
            f"/v1/cases/{case}/documents", json=REMINDER, headers=tenant.headers(**headers)
        )


def _put_contract_case(base_url: str, tenant: Tenant) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as http:
        put = http.put(f"/v1/cases/{CASE}", json=fixture("case.json"), headers=tenant.headers())
        assert put.status_code == 201, put.text


def recorded_hashes(wiring: Wiring) -> set[str]:
    with wiring.db.transaction(read_only=True) as session:
        documents_ = set(session.scalars(select(IssuedDocumentRow.sha256)))
        proofs = set(session.scalars(select(DeliveryProofRow.sha256)))
    return documents_ | proofs


def test_twenty_concurrent_reminders_get_twenty_gapless_numbers(
    served: tuple[str, Wiring],
) -> None:
    base_url, wiring = served
    tenant = make_tenant(wiring)
    _put_contract_case(base_url, tenant)
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda _: _post(base_url, tenant), range(20)))
    assert [r.status_code for r in responses] == [201] * 20, [r.text for r in responses]
    numbers = sorted(r.json()["number"] for r in responses)
    assert numbers == [f"2026-{n:05d}" for n in range(1, 21)]
    assert len({r.json()["id"] for r in responses}) == 20
    assert len({r.json()["sha256"] for r in responses}) == 20


def test_eight_concurrent_issues_with_one_idempotency_key_sign_one_pdf(
    served: tuple[str, Wiring], counting: CountingSigner
) -> None:
    base_url, wiring = served
    tenant = make_tenant(wiring)
    _put_contract_case(base_url, tenant)
    key = {"Idempotency-Key": "retry-storm-1"}
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda _: _post(base_url, tenant, **key), range(8)))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201], [
        r.text for r in responses
    ]
    assert len({r.json()["id"] for r in responses}) == 1
    assert counting.signed == 1, "the duplicates waited for the first request and signed nothing"
    assert wiring.archive.names() == [responses[0].json()["sha256"]]
    assert _post(base_url, tenant).json()["number"] == "2026-00002"


def test_parallel_writers_of_every_kind_get_no_server_error_and_leave_no_orphans(
    served: tuple[str, Wiring],
) -> None:
    """8 threads, 96 requests: new cases (some racing for the same id), case replacements,
    issues, deliveries with proof files, acknowledgments — on one creditor."""
    base_url, wiring = served
    tenant = make_tenant(wiring)
    _put_contract_case(base_url, tenant)
    seeded = [_post(base_url, tenant).json() for _ in range(4)]
    case = fixture("case.json")
    rng = random.Random(20261127)

    def write(index: int) -> tuple[str, int, str]:
        kind = index % 6
        with httpx.Client(base_url=base_url, timeout=120, headers=tenant.headers()) as http:
            if kind == 0:  # a new case; pairs race for the same id
                body = {**case, "external_id": f"NEW-{index // 12}"}
                response = http.put(f"/v1/cases/NEW-{index // 12}", json=body)
            elif kind == 1:  # the same case, replaced again and again
                response = http.put(f"/v1/cases/{CASE}", json=case)
            elif kind == 2:
                response = http.post(f"/v1/cases/{CASE}/documents", json=REMINDER)
            elif kind == 3:
                document = rng.choice(seeded)["id"]
                response = http.post(
                    f"/v1/documents/{document}/deliveries",
                    data={"delivery": '{"channel": "courier", "status": "pending"}'},
                    files={"proof": (f"receipt-{index}.pdf", b"%PDF-1.7 proof " + bytes([index]))},
                )
            elif kind == 4:
                response = http.post(
                    f"/v1/cases/{CASE}/acknowledgments",
                    json={"date": "2026-11-20", "source": "letter"},
                )
            else:
                response = http.get(f"/v1/cases/{CASE}")
        operation = ("put-new", "put", "issue", "deliver", "acknowledge", "read")[kind]
        return operation, response.status_code, response.text[:200]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(write, range(96)))
    failures = [r for r in results if r[1] >= 500]
    assert failures == []
    assert all(status in (200, 201) for _, status, _ in results), results
    with wiring.db.transaction(read_only=True) as session:
        numbers = sorted(session.scalars(select(IssuedDocumentRow.sequence)))
        counter = session.scalars(select(DocumentCounterRow.last_number)).one()
    assert numbers == list(range(1, len(numbers) + 1)) and counter == len(numbers)
    assert set(wiring.archive.names()) == recorded_hashes(wiring)
    assert wiring.archive.staged() == []


def test_many_more_writers_than_worker_threads_all_get_an_answer(
    served: tuple[str, Wiring],
) -> None:
    """60 concurrent writers (FastAPI has 40 worker threads): writers queue for a slot without
    holding a thread, so the one holding the database always finds a thread to finish."""
    base_url, wiring = served
    tenant = make_tenant(wiring)
    case = fixture("case.json")

    def put(i: int) -> int:
        with httpx.Client(base_url=base_url, timeout=90, headers=tenant.headers()) as http:
            body = {**case, "external_id": f"MANY-{i}"}
            return http.put(f"/v1/cases/MANY-{i}", json=body).status_code

    with ThreadPoolExecutor(max_workers=60) as pool:
        statuses = list(pool.map(put, range(60)))
    assert statuses == [201] * 60
    with httpx.Client(base_url=base_url, timeout=10) as http:
        assert http.get("/health").status_code == 200


def test_a_slow_upload_holds_no_writer(served: tuple[str, Wiring]) -> None:
    """A delivery's proof trickles in; meanwhile other writers go on (the body is read before
    the request's transaction begins)."""
    base_url, wiring = served
    tenant = make_tenant(wiring)
    _put_contract_case(base_url, tenant)
    document = _post(base_url, tenant).json()
    boundary = "talap-slow-upload"
    started, stalled = threading.Event(), threading.Event()
    finished: dict[str, float] = {}

    def body() -> Iterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="delivery"\r\n\r\n'
            '{"channel": "courier", "status": "pending"}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="proof"; '
            'filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 scan'
        ).encode()
        started.set()
        stalled.wait(timeout=30)  # the client stalls mid-upload until the other writer is done
        yield f"\r\n--{boundary}--\r\n".encode()

    def upload() -> None:
        with httpx.Client(base_url=base_url, timeout=60, headers=tenant.headers()) as http:
            response = http.post(
                f"/v1/documents/{document['id']}/deliveries",
                content=body(),
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
            assert response.status_code == 201, response.text
        finished["upload"] = time.monotonic()

    thread = threading.Thread(target=upload)
    thread.start()
    assert started.wait(timeout=30)
    with httpx.Client(base_url=base_url, timeout=20, headers=tenant.headers()) as http:
        other = http.post(
            f"/v1/cases/{CASE}/acknowledgments", json={"date": "2026-11-20", "source": "letter"}
        )
    finished["other"] = time.monotonic()
    stalled.set()
    thread.join(timeout=60)
    assert other.status_code == 201
    assert finished["other"] < finished["upload"]


def test_a_blank_idempotency_key_is_no_key(
    client: httpx.Client, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    numbers = [
        client.post(
            f"/v1/cases/{CASE}/documents",
            json=REMINDER,
            headers=tenant.headers(**{"Idempotency-Key": blank}),
        ).json()["number"]
        for blank in ("", "   ", "")
    ]
    assert numbers == ["2026-00001", "2026-00002", "2026-00003"]


def test_two_concurrent_signatures_of_one_agreement_record_one(
    served: tuple[str, Wiring],
) -> None:
    base_url, wiring = served
    tenant = make_tenant(wiring)
    _put_contract_case(base_url, tenant)
    with httpx.Client(base_url=base_url, timeout=60, headers=tenant.headers()) as http:
        mandate = http.put("/v1/mandates/penalty_waiver", json=WAIVER_MANDATE)
        assert mandate.status_code == 200, mandate.text
        agreement = http.post(
            f"/v1/cases/{CASE}/documents", json=fixture("issue-restructuring.json")
        ).json()
    barrier = threading.Barrier(2)

    def sign(day: str) -> int:
        with httpx.Client(base_url=base_url, timeout=60, headers=tenant.headers()) as http:
            barrier.wait()
            return http.post(
                f"/v1/documents/{agreement['id']}/signature", json={"signed_on": day}
            ).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(sign, ["2026-11-24"] * 2))
    assert statuses == [200, 409]
    with wiring.db.transaction(read_only=True) as session:
        signed = [
            e for e in events_for(session, tenant.creditor_id) if e.action == "AgreementSigned"
        ]
    assert len(signed) == 1


def test_two_concurrent_signatures_of_two_offers_leave_one_agreement_in_force(
    served: tuple[str, Wiring],
) -> None:
    """Reliability review D4 under a race: two offers for one debt signed at the same moment →
    one 200, one 409 (the case's agreements are locked together; the partial unique index
    backs it), and one agreement in force."""
    base_url, wiring = served
    tenant = make_tenant(wiring)
    _put_contract_case(base_url, tenant)
    offer = fixture("issue-restructuring.json")
    other = {**offer, "restructuring": {"installments": 3, "first_due": "2027-01-15"}}
    with httpx.Client(base_url=base_url, timeout=60, headers=tenant.headers()) as http:
        mandate = http.put("/v1/mandates/penalty_waiver", json=WAIVER_MANDATE)
        assert mandate.status_code == 200, mandate.text
        ids = [
            http.post(f"/v1/cases/{CASE}/documents", json=o).json()["id"] for o in (offer, other)
        ]
    barrier = threading.Barrier(2)

    def sign(document_id: str) -> int:
        with httpx.Client(base_url=base_url, timeout=60, headers=tenant.headers()) as http:
            barrier.wait()
            return http.post(
                f"/v1/documents/{document_id}/signature", json={"signed_on": "2026-11-24"}
            ).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(sign, ids))
    assert statuses == [200, 409]
    with httpx.Client(base_url=base_url, timeout=60, headers=tenant.headers()) as http:
        states = [a["state"] for a in http.get(f"/v1/cases/{CASE}/agreements").json()["agreements"]]
    assert sorted(states) == ["active", "issued"]
