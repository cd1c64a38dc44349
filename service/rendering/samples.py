"""DEMO DATA: sample facts for every kind × language, and ``write_samples`` to render them.

Nothing here is a real person, association or account: the names, ИИН/БИН and IBANs are made up
for demonstrations, golden-image tests and benchmarks. Dates are fixed, so the same code gives the
same PDFs. The facts follow the contract ``service.application.facts`` produces (see
``present.py`` and ``schema.py``); the restructuring schedule here is a simple demo split, the
issuing side computes the real one.

    .venv/bin/python -m service.rendering.samples OUT_DIR
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from service.rendering.schema import cited_provisions

KINDS = ("reminder", "warning", "restructuring", "pretrial")
LANGUAGES = ("kk", "ru", "bilingual")
AS_OF = dt.date(2026, 11, 24)
MONTHLY = {"current": Decimal("9360.00"), "accumulative": Decimal("1248.00")}
NAME = "Жақсыбеков Нұрлан Әбілқайырұлы"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

_HOUSING = ("Закона РК «О жилищных отношениях»", "«Тұрғын үй қатынастары туралы» ҚР Заңының")
_NOTARY = ("Закона РК «О нотариате»", "«Нотариат туралы» ҚР Заңының")
_LANGUAGE = (
    "Закона РК «О языках в Республике Казахстан»",
    "«Қазақстан Республикасындағы тіл туралы» ҚР Заңының",
)
# id: (ru, kk), act. The wording the provision registry (legal/provisions) gives.
CITES: dict[str, tuple[str, str, tuple[str, str] | None]] = {
    "housing-34-p3": ("п. 3 ст. 34", "34-бабының 3-тармағы", _HOUSING),
    "housing-34-1-p1": ("п. 1 ст. 34-1", "34-1-бабының 1-тармағы", _HOUSING),
    "housing-34-1-p8": ("п. 8 ст. 34-1", "34-1-бабының 8-тармағы", _HOUSING),
    "housing-34-1-p9": ("п. 9 ст. 34-1", "34-1-бабының 9-тармағы", _HOUSING),
    "housing-34-1-p10": ("п. 10 ст. 34-1", "34-1-бабының 10-тармағы", _HOUSING),
    "housing-51-1-p2": ("п. 2 ст. 51-1", "51-1-бабының 2-тармағы", _HOUSING),
    "housing-51-1-p5-12": (
        "пп. 12) п. 5 ст. 51-1",
        "51-1-бабының 5-тармағының 12) тармақшасы",
        _HOUSING,
    ),
    "notary-92-1-p2-6": (
        "пп. 6) п. 2 ст. 92-1",
        "92-1-бабының 2-тармағының 6) тармақшасы",
        _NOTARY,
    ),
    "notary-92-1-p3": ("п. 3 ст. 92-1", "92-1-бабының 3-тармағы", _NOTARY),
    "notary-92-2-p3": ("п. 3 ст. 92-2", "92-2-бабының 3-тармағы", _NOTARY),
    "notary-92-6": ("ст. 92-6", "92-6-бабы", _NOTARY),
    "notary-92-8": ("ст. 92-8", "92-8-бабы", _NOTARY),
    "gpk-29": ("ст. 29 ГПК РК", "ҚР АПК 29-бабы", None),
    "gk-183": ("ст. 183 ГК РК", "ҚР АК 183-бабы", None),
    "gk-353": ("ст. 353 ГК РК", "ҚР АК 353-бабы", None),
    "language-15": ("ст. 15", "15-бабы", _LANGUAGE),
}
NUMBERS = {"reminder": "00017", "warning": "00024", "restructuring": "00031", "pretrial": "00040"}
DEADLINES = {
    "reminder": "2026-12-08",
    "warning": "2026-12-09",
    "restructuring": "2026-12-08",
    "pretrial": "2026-12-04",
}


def cite(pid: str) -> dict[str, str]:
    ru, kk, act = CITES[pid]
    return {"ru": f"{ru} {act[0]}" if act else ru, "kk": f"{act[1]} {kk}" if act else kk}


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def debt(first: dt.date, months: int, paid: Decimal, as_of: dt.date = AS_OF) -> dict[str, Any]:
    """Lines as the domain computes them: payments oldest first, due on the 25th of the next
    month, the two-month gate open the day after due date + 2 months (housing law 34-1 p. 10)."""
    lines, left = [], paid
    totals = dict.fromkeys(("charged", "paid", "outstanding", "overdue", "past_gate"), Decimal(0))
    for i in range(months):
        period = add_months(first, i)
        due = add_months(period, 1).replace(day=25)
        opens = add_months(due, 2) + dt.timedelta(days=1)
        for contribution, amount in MONTHLY.items():
            pay = min(left, amount)
            left -= pay
            outstanding = amount - pay
            overdue, past_gate = due < as_of, opens <= as_of and outstanding > 0
            lines.append(
                {
                    "period": f"{period:%Y-%m}",
                    "contribution": contribution,
                    "charged": f"{amount:.2f}",
                    "paid": f"{pay:.2f}",
                    "outstanding": f"{outstanding:.2f}",
                    "due_date": due.isoformat(),
                    "days_overdue": (as_of - due).days if overdue and outstanding else 0,
                    "overdue": overdue,
                    "past_gate": past_gate,
                    "gate_opens": opens.isoformat(),
                }
            )
            for key, value in (("charged", amount), ("paid", pay), ("outstanding", outstanding)):
                totals[key] += value
            totals["overdue"] += outstanding if overdue else 0
            totals["past_gate"] += outstanding if past_gate else 0
    return {"lines": lines, "totals": {k: f"{v:.2f}" for k, v in totals.items()}}


def _split(total: Decimal, parts: int) -> list[Decimal]:
    """Equal instalments rounded down to the tiyn; the remainder goes on the last one."""
    each = (total / parts).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [each] * (parts - 1) + [total - each * (parts - 1)]


def schedule(
    debt_facts: dict[str, Any], installments: int, first_due: dt.date, waive_penalty: bool
) -> dict[str, Any]:
    """A demo restructuring of the overdue debt: split by account, penalty last or waived."""
    current = sum(
        (
            Decimal(line["outstanding"])
            for line in debt_facts["lines"]
            if line["overdue"] and line["contribution"] != "accumulative"
        ),
        Decimal(0),
    )
    savings = Decimal(debt_facts["totals"]["overdue"]) - current
    penalty = Decimal(debt_facts["penalty"]["total"])
    scheduled_penalty = Decimal("0.00") if waive_penalty else penalty
    columns = {
        "current": _split(current, installments),
        "savings": _split(savings, installments),
        "penalty": _split(scheduled_penalty, installments),
    }
    rows = []
    for i in range(installments):
        amounts = {key: values[i] for key, values in columns.items()}
        rows.append(
            {
                "number": i + 1,
                "due": add_months(first_due, i).isoformat(),
                **{key: f"{value:.2f}" for key, value in amounts.items()},
                "total": f"{sum(amounts.values()):.2f}",
            }
        )
    total = current + savings + scheduled_penalty
    return {
        "installments": installments,
        "first_due": first_due.isoformat(),
        "waive_penalty": waive_penalty,
        "default_after_days": 30,
        "grace_days": 5,
        "totals": {
            "current": f"{current:.2f}",
            "savings": f"{savings:.2f}",
            "penalty": f"{scheduled_penalty:.2f}",
            "total": f"{total:.2f}",
        },
        "acknowledged": {
            "principal": f"{current + savings:.2f}",
            "penalty": f"{penalty:.2f}",
            "total": f"{current + savings + penalty:.2f}",
        },
        "schedule": rows,
        "allocation_order": ["penalty_last"],
    }


def _creditor() -> dict[str, Any]:
    bank = "АО «Народный Банк Казахстана»"
    return {
        "name": {
            "kk": "«Көктем-3» мүлік иелерінің бірлестігі",
            "ru": "Объединение собственников имущества «Көктем-3»",
        },
        "form": "osi",
        "bin": "190340018228",
        "address": {
            "kk": "Алматы қ., Бостандық ауданы, Көктем-3 шағын ауданы, 21-үй",
            "ru": "г. Алматы, Бостандыкский район, мкр. Коктем-3, д. 21",
        },
        "chairman": {
            "full_name": "Сәрсенбаева Ләззат Мұратқызы",
            "position": {"kk": "Төраға", "ru": "Председатель"},
        },
        "accounts": {
            "current": {"iban": "KZ66601A871000234567", "bank": bank, "bic": "HSBKKZKX"},
            "savings": {"iban": "KZ86601S871000234568", "bank": bank, "bic": "HSBKKZKX"},
        },
        "contacts": {"phone": "+7 727 300 21 21", "email": "osi.koktem3@example.kz"},
    }


def _penalty() -> dict[str, Any]:
    return {
        "total": "360.71",
        "rate_source": {
            "kk": "Қазақстан Республикасы Ұлттық Банкінің базалық мөлшерлемесі (ҚР АК 353-бабы)",
            "ru": "базовая ставка Национального Банка РК (ст. 353 ГК РК)",
        },
        "day_count": 365,
        "lines": [
            {
                "period": "2026-04",
                "contribution": "current",
                "base": "4360.00",
                "rate": "16.50",
                "from": "2026-05-26",
                "to": "2026-11-24",
                "days": 183,
                "amount": "360.71",
            }
        ],
    }


def sample_facts(
    language: str = "kk",
    kind: str = "reminder",
    *,
    months: int = 8,
    first: dt.date = dt.date(2026, 3, 1),
) -> dict[str, Any]:
    """DEMO facts: 58 648,00 overdue (2026-04 … 2026-09), one partial payment, as of 24.11.2026."""
    doc_id = f"0c6f3f4e-8d1a-4c55-9a0e-3b1f7e2d9{KINDS.index(kind):03d}"
    debt_facts = {
        "as_of": AS_OF.isoformat(),
        **debt(first, months, Decimal("15608.00")),
        "penalty": _penalty(),
    }
    facts: dict[str, Any] = {
        "kind": kind,
        "language": language,
        "number": f"2026-{NUMBERS[kind]}",
        "issue_date": AS_OF.isoformat(),
        "deadline": DEADLINES[kind],
        "draft": False,
        "development_signature": True,
        "document_id": doc_id,
        "verify_url": f"http://127.0.0.1:8000/v1/documents/{doc_id}/verify",
        "creditor": _creditor(),
        "debtor": {
            "full_name": NAME,
            "iin": "780412300566",
            "language": "kk",
            "email": "n.zhaksybekov@example.kz",
            "phone": "+7 701 555 12 34",
            "postal_address": "г. Алматы, мкр. Коктем-3, д. 21, кв. 45",
        },
        "unit": {"type": "flat", "number": "45", "area_m2": "62.40"},
        "basis": [
            {
                "contribution": c,
                "protocol": {"number": "3", "date": "2025-12-20"},
                "monthly_amount": f"{a:.2f}",
            }
            for c, a in MONTHLY.items()
        ],
        "debt": debt_facts,
        "provisions": [{"id": pid, "cite": cite(pid)} for pid in cited_provisions(kind, "notary")],
    }
    gate = [line["gate_opens"] for line in debt_facts["lines"] if Decimal(line["outstanding"]) > 0]
    if kind in ("warning", "pretrial"):
        facts["enforcement"] = {
            "gate_opens": min(gate) if gate else None,
            "past_gate_total": debt_facts["totals"]["past_gate"],
            "routes": ["notary", "court"],
        }
        facts["acknowledgment"] = None
    if kind == "pretrial":
        facts["route"] = "notary"
        facts["venue"] = {
            "debtor_address": "г. Алматы, мкр. Коктем-3, д. 21, кв. 45",
            "property_address": "г. Алматы, Бостандыкский район, мкр. Коктем-3, д. 21, кв. 45",
        }
    if kind == "restructuring":
        facts["restructuring"] = schedule(debt_facts, 6, dt.date(2027, 1, 10), True)
    return facts


def sample_combinations() -> list[tuple[str, str]]:
    """(kind, language) of every sample: the restructuring agreement is bilingual only."""
    return [
        (kind, language)
        for kind in KINDS
        for language in LANGUAGES
        if kind != "restructuring" or language == "bilingual"
    ]


def write_samples(out_dir: Path, templates_dir: Path = TEMPLATES) -> list[Path]:
    """Render every sample to ``out_dir/<kind>-<language>.pdf``; returns the paths written."""
    from service.rendering.typst_renderer import TypstRenderer

    renderer = TypstRenderer(templates_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, language in sample_combinations():
        path = out_dir / f"{kind}-{language}.pdf"
        path.write_bytes(renderer.render(sample_facts(language, kind)))
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description="Render the demo sample documents.")
    parser.add_argument("out_dir", type=Path)
    for path in write_samples(parser.parse_args().out_dir):
        print(path)


if __name__ == "__main__":
    main()
