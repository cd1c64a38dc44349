"""``/openapi.json`` documents real bodies: every operation's success answer has a schema, and
every operation lists the errors it can answer with, in the error contract's body."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def _success(operation: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (status, response)
        for status, response in operation["responses"].items()
        if status.startswith("2")
    ]


def test_every_get_post_put_declares_a_non_empty_success_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    checked = []
    for path, item in spec["paths"].items():
        for method in ("get", "post", "put"):
            if method not in item:
                continue
            successes = _success(item[method])
            assert successes, (method, path)
            for status, response in successes:
                content = response.get("content") or {}
                assert content, (method, path, status, "no body documented")
                for media, body in content.items():
                    schema = body.get("schema") or {}
                    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref")
                    if ref:
                        target = schemas[ref.rsplit("/", 1)[-1]]
                        assert target.get("properties"), (method, path, status, ref)
                    else:
                        assert schema.get("format") == "binary" or schema.get("type"), (
                            method,
                            path,
                            status,
                            media,
                        )
            checked.append(f"{method.upper()} {path}")
    assert len(checked) >= 24, checked


def test_every_operation_lists_its_errors_with_the_error_body(client: TestClient) -> None:
    """Every ``/v1`` operation needs a key, except the public verification behind the QR code
    (#19), which never answers 401."""
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        public = path.startswith("/v1/verify/")
        for method, operation in item.items():
            errors = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
            assert ("401" not in errors) if public else ("401" in errors), (method, path)
            for status, response in errors.items():
                if status == "422" and "ErrorBody" not in str(response):
                    continue  # FastAPI's own 422 entry is replaced by ours below
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (method, path, status)


def test_the_issue_and_case_bodies_are_the_contract(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    put_case = spec["paths"]["/v1/cases/{external_id}"]["put"]
    assert put_case["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CaseIn"
    )
    assert {"200", "201"} <= set(put_case["responses"])
    issue = spec["paths"]["/v1/cases/{external_id}/documents"]["post"]
    assert {"200", "201", "409", "422"} <= set(issue["responses"])
    issue_in = spec["components"]["schemas"]["IssueIn"]["properties"]
    assert issue_in["kind"]["enum"] == [
        "reminder",
        "warning",
        "restructuring",
        "pretrial",
        "statement",
    ]
    assert issue_in["language"]["enum"] == ["kk", "ru", "bilingual"]
    deliveries = spec["paths"]["/v1/documents/{document_id}/deliveries"]["post"]
    assert {"application/json", "multipart/form-data"} <= set(deliveries["requestBody"]["content"])
