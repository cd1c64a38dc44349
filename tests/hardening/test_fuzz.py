"""The API against its own ``/openapi.json`` (issue 13, D15): schemathesis generates requests for
every operation — the schema's examples, the coverage phase's boundary and invalid values, random
fuzzing and, where the responses link operations, stateful sequences — and sends them through the
real app (ASGI, the test's database) with a system key, then with a lawyer's and an auditor's.

What must hold for every answer: no server error, the status is documented for the operation, the
body and headers match the documented schema and content type, a ``405`` lists the path's methods
in ``Allow``, and an operation that needs a key refuses a request without one.

Not checked here: that every schema-valid request is accepted (``positive_data_acceptance``) and
every schema-invalid one refused (``negative_data_rejection``). The schema cannot say an ИИН's
checksum, that ``to`` is not before ``from`` or that a rule id exists, so valid-looking data is
refused with a ``422`` naming the field — which is the contract, not a failure.

The budget is bounded (a few examples per operation, one seed): about 3,800 requests, under three
minutes on SQLite. ``TALAP_FUZZ_EXAMPLES=200``, ``TALAP_FUZZ_ALL_PHASES=1`` (and
``TALAP_FUZZ_SEED``) make a bigger local run.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import engine
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events

from service.bootstrap import Wiring
from service.main import create_app
from service.settings import Settings
from tests.api import CASE, Tenant, key_for

EXAMPLES = int(os.environ.get("TALAP_FUZZ_EXAMPLES", "3"))
SEED = int(os.environ.get("TALAP_FUZZ_SEED", "20261128"))
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
    "use_after_free",
)
OFF = ("positive_data_acceptance", "negative_data_rejection")
ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")
ROLE_PHASES = {"system": ALL_PHASES, "lawyer": ("examples", "fuzzing"), "auditor": ("fuzzing",)}
"""The system key, which may do most, gets every phase; the others a lighter pass within the
budget — the coverage phase alone sends about 3,000 requests (all phases for every role:
``TALAP_FUZZ_ALL_PHASES=1``)."""
if os.environ.get("TALAP_FUZZ_ALL_PHASES"):
    ROLE_PHASES = dict.fromkeys(ROLE_PHASES, ALL_PHASES)


@schemathesis.serializer("message/rfc822")
def _rfc822(_ctx: Any, value: Any) -> bytes:
    """A bounce is an e-mail's bytes: whatever the generator made for the binary body."""
    return value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")


@dataclass
class Outcome:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    phases: dict[str, str] = field(default_factory=dict)

    def report(self) -> str:
        lines = [f"{self.requests} requests; statuses {dict(sorted(self.statuses.items()))}"]
        lines += [f"phase {name}: {status}" for name, status in self.phases.items()]
        lines += [f"FAILURE {key}\n{detail}" for key, detail in self.failures.items()]
        lines += [f"ERROR {error}" for error in self.errors]
        return "\n".join(lines)


def fuzz(wiring: Wiring, key: str, known: dict[str, str], phases: tuple[str, ...]) -> Outcome:
    """One schemathesis run over every operation of a fresh app with ``key``; ``known`` maps path
    parameter names to existing ids, offered beside the generated values so requests get past
    the ``404`` to the code behind it."""
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "headers": {"Authorization": f"Bearer {key}"},
            "workers": 1,
            "generation": {"max-examples": EXAMPLES, "database": "none"},
            "phases": {
                **{name: {"enabled": name in phases} for name in ALL_PHASES},
                "stateful": {"enabled": "stateful" in phases, "max-steps": EXAMPLES * 5},
            },
            "checks": {
                **{name: {"enabled": True} for name in CHECKS},
                **{name: {"enabled": False} for name in OFF},
            },
        }
    )
    app = create_app(_unthrottled(wiring))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    _offer_known_ids(schema, known)
    outcome = Outcome()
    for event in engine.from_schema(schema).execute():
        if isinstance(event, (events.ScenarioFinished, events.FuzzScenarioFinished)):
            _record(outcome, event.recorder)
        elif isinstance(event, events.NonFatalError):
            outcome.errors.append(f"{event.label}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            outcome.errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.PhaseFinished):
            outcome.phases[event.phase.name.value] = event.status.value
    assert all(outcome.phases.get(p) in ("success", "skip") for p in phases), outcome.report()
    return outcome


def _unthrottled(wiring: Wiring) -> Wiring:
    """The failed-key throttle off (``TALAP_AUTH_FAILURE_LIMIT``, where the service has it): the
    fuzzer's requests without a key would soon make every answer a ``429``."""
    if "auth_failure_limit" not in Settings.model_fields:
        return wiring
    settings = wiring.settings.model_copy(update={"auth_failure_limit": 0})
    return dataclasses.replace(wiring, settings=settings)


def _offer_known_ids(schema: Any, known: dict[str, str]) -> None:
    @schema.hook  # type: ignore[untyped-decorator]
    def flatmap_path_parameters(_ctx: Any, path_parameters: dict[str, Any] | None) -> Any:
        if not path_parameters:
            return st.just(path_parameters)
        real = {name: known.get(name, value) for name, value in path_parameters.items()}
        return st.sampled_from([path_parameters, real])


def _record(outcome: Outcome, recorder: Any) -> None:
    outcome.requests += len(recorder.interactions)
    for interaction in recorder.interactions.values():
        if interaction.response is not None:
            outcome.statuses[interaction.response.status_code] += 1
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.failure_info is None:
                continue
            failure = check.failure_info.failure
            key = f"{failure.code} {recorder.label}: {failure.title}"
            if key not in outcome.failures:
                case = recorder.cases[case_id].value
                outcome.failures[key] = f"{failure.message}\n{case.as_curl_command()}"


@pytest.fixture
def known_ids(client: Any, tenant: Tenant, contract_case: dict[str, Any]) -> dict[str, str]:
    """A case with an issued reminder, and the ids the path parameters can name."""
    issued = client.post(
        f"/v1/cases/{CASE}/documents",
        json={"kind": "reminder", "language": "kk"},
        headers=tenant.headers(),
    )
    assert issued.status_code == 201, issued.text
    return {"external_id": CASE, "document_id": issued.json()["id"]}


@pytest.mark.parametrize("role", ["system", "lawyer", "auditor"])
def test_every_answer_is_documented_and_no_request_is_a_server_error(
    wiring: Wiring, tenant: Tenant, known_ids: dict[str, str], role: str
) -> None:
    key = {"system": tenant.system_key, "auditor": tenant.auditor_key}.get(role) or key_for(
        wiring, tenant.creditor_id, role
    )
    outcome = fuzz(wiring, key, known_ids, ROLE_PHASES[role])
    print(outcome.report())  # the figures, shown with -s or on failure
    assert outcome.requests > 0
    assert not outcome.failures, outcome.report()
    assert not outcome.errors, outcome.report()
    assert 500 not in outcome.statuses, outcome.report()


def test_a_405_allows_every_method_of_the_path(client: Any, tenant: Tenant) -> None:
    """Starlette's 405 named only the first route matching the path (``GET`` of checkpoints,
    whose ``POST`` is another route): ``Allow`` lists the path's methods."""
    answer = client.request("OPTIONS", "/v1/audit/checkpoints", headers=tenant.headers())
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET, POST"
    assert answer.json()["error"]["code"] == "method_not_allowed"
    answer = client.delete("/v1/cases/X-1/acknowledgments", headers=tenant.headers())
    assert answer.headers["Allow"] == "GET, POST"
    # also ``/v1/deliveries/{delivery_id}``, but the document's path is the literal one
    answer = client.request("OPTIONS", "/v1/deliveries/bounces", headers=tenant.headers())
    assert answer.headers["Allow"] == "POST"


def test_the_document_names_the_key_as_a_bearer_scheme_and_an_unreadable_body(
    client: Any, tenant: Tenant
) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    put_case = spec["paths"]["/v1/cases/{external_id}"]["put"]
    assert put_case["security"] == [{"apiKey": []}]
    assert "413" in put_case["responses"]
    assert "authorization" not in [p["name"].lower() for p in put_case["parameters"]]
    assert "security" not in spec["paths"]["/v1/verify/{token}"]["get"]  # public (the QR code)
    answer = client.put(
        "/v1/cases/X-1",
        content=b"P\xff\xfe",
        headers=tenant.headers(**{"Content-Type": "application/json"}),
    )
    assert str(answer.status_code) in put_case["responses"], answer.text
    assert answer.json()["error"]["code"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_malformed_verification_token_is_the_pages_own_404(client: Any, method: str) -> None:
    """The page answers every token it cannot find with the same 404 page (finding #19), a
    malformed one too: the app-wide path check leaves it alone (schemathesis' stateful phase
    found ``POST /verify/ú\x9b…`` answering the path check's JSON where HTML is documented)."""
    spec = client.get("/openapi.json").json()
    documented = spec["paths"]["/verify/{token}"][method]["responses"]["404"]["content"]
    answer = client.request(method.upper(), "/verify/a\u009bb")
    assert answer.status_code == 404
    assert answer.headers["content-type"].split(";")[0] in documented
