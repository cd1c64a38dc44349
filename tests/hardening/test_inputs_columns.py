"""Column sizes match the contract (issue 13 item 2, D5): every column a client's text is stored
in is at least as wide as the longest value the request schema accepts for it. SQLite never
enforces a ``VARCHAR`` length, so a narrower column was a PostgreSQL-only 500 (a debtor's name
of 301–500 characters; an audit subject ``case:`` + a 100-character id). The widths are read
from the SQLAlchemy models (which the migrations must match: ``tests/kit/test_migrations.py``)
and the limits from the pydantic schemas, so a change on either side is caught here.
``test_inputs.py`` stores the maximum values through the API on both backends.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import String

from service.campaigns.schemas import CampaignIn
from service.caselog.schemas import LogEntryIn
from service.cases.schemas import DebtorIn, PaymentIn
from service.deliveries.schemas import DeliveryIn
from service.kit.fields import IDENTIFIER_MAX
from service.kit.registry import metadata
from service.postal.schemas import PostListIn
from service.webhooks.schemas import WebhookIn


def _max_length(model: type[BaseModel], *path: str) -> int:
    """The ``maxLength`` the model's JSON schema declares at ``path`` (``*`` for a mapping's
    values), through optional values and references."""
    spec = model.model_json_schema()
    schema: dict[str, Any] = spec
    for step in path:
        schema = _concrete(spec, schema)
        schema = schema["additionalProperties"] if step == "*" else schema["properties"][step]
    found = _concrete(spec, schema).get("maxLength")
    assert isinstance(found, int), (model.__name__, path)
    return found


def _concrete(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _concrete(spec, spec["$defs"][schema["$ref"].rsplit("/", 1)[-1]])
    for variant in schema.get("anyOf", ()):
        if variant.get("type") != "null":
            return _concrete(spec, variant)
    return schema


CLIENT_TEXT = {
    # table.column → the longest value a request may put there
    "cases.external_id": IDENTIFIER_MAX,
    "batch_items.case_external_id": IDENTIFIER_MAX,
    "campaign_drafts.external_id": IDENTIFIER_MAX,
    "audit_events.subject": len("case:") + IDENTIFIER_MAX,
    "debtors.full_name": _max_length(DebtorIn, "full_name"),
    "post_list_lines.addressee": _max_length(DebtorIn, "full_name"),
    "payments.reference": _max_length(PaymentIn, "reference"),
    "deliveries.tracking_number": _max_length(DeliveryIn, "tracking_number"),
    "deliveries.recipient": _max_length(DeliveryIn, "recipient"),
    "post_list_lines.tracking_number": _max_length(PostListIn, "tracking_numbers", "*"),
    "campaigns.name": _max_length(CampaignIn, "name"),
    "case_log_entries.author": _max_length(LogEntryIn, "author"),
    "webhook_endpoints.url": _max_length(WebhookIn, "url"),
    "webhook_endpoints.secret": _max_length(WebhookIn, "secret"),
    "issued_documents.idempotency_key": 200,  # the Idempotency-Key header's limit
}


def _width(dotted: str) -> int:
    table, column = dotted.split(".")
    kind = metadata.tables[table].columns[column].type
    assert isinstance(kind, String) and kind.length, dotted
    return kind.length


@pytest.mark.parametrize(("column", "longest"), sorted(CLIENT_TEXT.items()))
def test_a_column_holds_the_longest_value_the_contract_accepts(column: str, longest: int) -> None:
    assert _width(column) >= longest, f"{column} is {_width(column)} wide, the contract {longest}"
