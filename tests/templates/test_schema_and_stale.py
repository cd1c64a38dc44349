"""Field schemas (C3) and stale citations (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from service.law.context import LawContext
from service.templates import schema, stale
from service.templates.loader import parse_schema

SCHEMA = """
fields:
  - {name: t.creditor.name, type: text}
  - name: fields.meeting_date
    type: date
    required: true
    label: {kk: "Жиналыс күні", ru: "Дата собрания"}
  - {name: fields.iban, type: iban}
  - {name: fields.amount, type: money}
  - {name: fields.owner_iin, type: iin}
  - {name: fields.month, type: period}
  - {name: fields.note, type: localized}
  - name: fields.rows
    type: table
    columns: [{name: period, type: period, required: true}, {name: sum, type: money}]
sample:
  meeting_date: "2026-12-01"
"""


def test_a_schema_is_read_from_yaml_and_json() -> None:
    parsed, errors = parse_schema(SCHEMA)
    assert errors == []
    assert [f.key for f in parsed.request_fields()][:2] == ["meeting_date", "iban"]
    again, errors = parse_schema(schema.dumps(parsed))
    assert errors == [] and again == parsed


def test_schema_problems_are_reported_together() -> None:
    _, errors = parse_schema(
        "fields: [{name: fields.a, type: colour}, {name: '1x'}, {name: fields.a, type: text}]"
    )
    assert [e.code for e in errors] == ["unknown_type", "invalid_name", "duplicate"]
    _, errors = parse_schema("fields: [:")
    assert [e.code for e in errors] == ["invalid_schema"]


def test_request_fields_are_validated_and_normalised() -> None:
    parsed, _ = parse_schema(SCHEMA)
    values, errors = schema.validate(
        parsed,
        {
            "meeting_date": "2026-12-01",
            "iban": "kz86 125k zt50 0410 0100",
            "amount": 1500.5,
            "owner_iin": "780412300566",
            "month": "2026-11",
            "note": {"kk": "Ескерту", "ru": "Примечание"},
            "rows": [{"period": "2026-10", "sum": "10.00"}],
        },
    )
    assert errors == []
    assert values["amount"] == "1500.50" and values["iban"] == "KZ86125KZT5004100100"
    assert values["rows"] == [{"period": "2026-10", "sum": "10.00"}]


def test_missing_invalid_and_undeclared_fields_each_name_their_path() -> None:
    parsed, _ = parse_schema(SCHEMA)
    _, errors = schema.validate(
        parsed,
        {"iban": "KZ00", "owner_iin": "123", "month": "2026-13", "rows": [{}], "x": 1},
    )
    found = {(e.path, e.code) for e in errors}
    assert found == {
        ("fields.x", "unknown_field"),
        ("fields.meeting_date", "required"),
        ("fields.iban", "invalid_iban"),
        ("fields.owner_iin", "invalid_iin"),
        ("fields.month", "invalid_period"),
        ("fields.rows", "invalid_table"),
    }


def test_a_new_required_request_field_is_breaking() -> None:
    parsed, _ = parse_schema(SCHEMA)
    assert schema.breaking(schema.EMPTY, parsed) == ["fields.meeting_date"]
    assert schema.breaking(parsed, parsed) == []


def test_a_version_citing_an_older_edition_is_stale_and_blocked_from_the_new_date(
    law: LawContext,
) -> None:
    provision = law.provisions["housing-34-1-p8"]
    cited_edition = provision.editions[-1].effective_from
    new = replace(provision.editions[-1], effective_from=dt.date(2026, 12, 1))
    provisions = {
        **law.provisions,
        provision.id: replace(provision, editions=(*provision.editions, new)),
    }
    cited = [stale.Cited("housing-34-1-p8", cited_edition), stale.Cited("housing-34-1-p1", None)]
    (reason,) = stale.reasons(cited, provisions)
    assert (reason.provision, reason.cited_edition) == ("housing-34-1-p8", cited_edition)
    assert reason.effective_from == dt.date(2026, 12, 1)
    assert stale.blocking(cited, provisions, dt.date(2026, 11, 30)) == []
    assert stale.blocking(cited, provisions, dt.date(2026, 12, 1)) == [reason]
    assert stale.reasons(cited, law.provisions) == []
