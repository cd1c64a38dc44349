"""How a document names its creditor and who signs for it, by the creditor's form (#1 #3 #20 #21).

An ОСИ / МИБ speaks of itself as «ОСИ» / «МИБ» and signs through its chairman, who acts without a
power of attorney (housing law art. 51-1 p. 2; research 1.13). A КСК / ПИК or a management
company (управляющая компания / басқарушы компания) is a management subject (субъект управления /
басқару субъектісі) acting under its management contract with the ОСИ (art. 51-4; research 1.14,
C.10): it is never called «ОСИ» / «МИБ», and an owner's request for financial documents goes to
the chairman of the ОСИ of the building (art. 51-1 p. 5 sub-para 12).

The templates read ``t.creditor.party`` (the self-reference in the cases the texts need),
``t.creditor.signer`` (the signature line and the agreement's party clause) and
``t.creditor.osi`` (the ОСИ that answers a request for financial documents). Russian wording
for the signer never declines the name or a participle by gender: «от имени которого действует
председатель Л. М. Сәрсенбаева» (#3).
"""

from __future__ import annotations

import re
from typing import Any

from service.creditors.creditor import Creditor, CreditorForm
from service.documents import formats
from service.kernel.text import Lang
from service.kernel.words import kk_possessive

# The self-reference by form and language: nominative, genitive, dative, accusative; `start` is
# the nominative at the start of a sentence. Kazakh suffixes after an abbreviation are written
# with a hyphen (МИБ-ке, МИБ-тің, МИБ-ті: the abbreviation ends in a devoiced consonant).
PARTY: dict[CreditorForm, dict[Lang, dict[str, str]]] = {
    CreditorForm.OSI: {
        "ru": {"abbr": "ОСИ", "nom": "ОСИ", "gen": "ОСИ", "dat": "ОСИ", "acc": "ОСИ"},
        "kk": {"abbr": "МИБ", "nom": "МИБ", "gen": "МИБ-тің", "dat": "МИБ-ке", "acc": "МИБ-ті"},
    },
    CreditorForm.KSK: {
        "ru": {"abbr": "КСК", "nom": "КСК", "gen": "КСК", "dat": "КСК", "acc": "КСК"},
        "kk": {"abbr": "ПИК", "nom": "ПИК", "gen": "ПИК-тің", "dat": "ПИК-ке", "acc": "ПИК-ті"},
    },
    CreditorForm.MANAGEMENT_COMPANY: {
        "ru": {
            "abbr": "",
            "nom": "управляющая компания",
            "gen": "управляющей компании",
            "dat": "управляющей компании",
            "acc": "управляющую компанию",
        },
        "kk": {
            "abbr": "",
            "nom": "басқарушы компания",
            "gen": "басқарушы компанияның",
            "dat": "басқарушы компанияға",
            "acc": "басқарушы компанияны",
        },
    },
}

# What a management subject is (housing law art. 51-4; the Kazakh term from the official text).
MANAGEMENT_SUBJECT: dict[Lang, str] = {
    "ru": "субъект управления объектом кондоминиума",
    "kk": "кондоминиум объектісін басқару субъектісі",
}

# The ОСИ whose chairman answers an owner's written request for financial documents (art. 51-1
# p. 5 sub-para 12): the creditor's own chairman, or, for a management subject, the chairman of
# the ОСИ of the building (the only place a КСК's document names an ОСИ, besides its contract).
OSI_CHAIRMAN: dict[bool, dict[Lang, dict[str, str]]] = {
    False: {
        "ru": {"gen": "председателя ОСИ", "dat": "председателю ОСИ"},
        "kk": {"gen": "МИБ төрағасының", "dat": "МИБ төрағасына"},
    },
    True: {
        "ru": {"gen": "председателя ОСИ дома", "dat": "председателю ОСИ дома"},
        "kk": {"gen": "үйдің МИБ төрағасының", "dat": "үйдің МИБ төрағасына"},
    },
}

_QUOTED = re.compile(r"«.*»")


def quoted_name(name: str) -> str | None:
    """The proper name in quotes: «Көктем-3» of «Объединение собственников имущества «Көктем-3»»."""
    match = _QUOTED.search(name)
    return match.group(0) if match else None


def short_name(creditor: Creditor, lang: Lang) -> str:
    """«ОСИ «Көктем-3»» / ««Көктем-3» МИБ»; a management company by its name as registered."""
    name = creditor.name[lang]
    abbr = PARTY[creditor.form][lang]["abbr"]
    quoted = quoted_name(name)
    if not abbr or quoted is None:
        return name
    return f"{abbr} {quoted}" if lang == "ru" else f"{quoted} {abbr}"


def party(creditor: Creditor, lang: Lang) -> dict[str, str]:
    forms = dict(PARTY[creditor.form][lang])
    forms["start"] = forms["nom"][:1].upper() + forms["nom"][1:]
    forms["short"] = short_name(creditor, lang)
    return forms


def signer(creditor: Creditor, lang: Lang) -> dict[str, Any]:
    """Who signs and on what authority: the signature line (#20) and the party clause (#3 #21)."""
    chairman = creditor.chairman
    position = chairman.position[lang]
    inner = formats.lower_first(position)
    short = short_name(creditor, lang)
    # «Председатель ОСИ «Көктем-3»» / ««Көктем-3» МИБ төрағасы» (#20)
    title = f"{position} {short}" if lang == "ru" else f"{short} {kk_possessive(inner)}"
    contract = creditor.management_contract
    day = formats.day(contract.date, lang) if contract is not None else None
    return {
        "position": position,
        # «председатель» (ru) / «төрағасы» (kk: possessive, «…оның атынан … әрекет ететін
        # төрағасы … арқылы», #21)
        "position_inner": inner if lang == "ru" else kk_possessive(inner),
        "name": formats.initials_first(chairman.full_name),
        "full_name": chairman.full_name,
        "gender": chairman.gender.value if chairman.gender else None,
        "title": title,
        "basis": "contract" if creditor.form.is_management_subject else "charter",
        "provision": creditor.form.authority_provision,
        "management_subject": MANAGEMENT_SUBJECT[lang]
        if creditor.form.is_management_subject
        else None,
        "contract": {
            "number": contract.number,
            "date": day,
            # what the letterhead of a management subject says it is (#1)
            "line": f"{MANAGEMENT_SUBJECT['ru'].capitalize()} по договору управления "
            f"№\u00a0{contract.number} от {day['words']}"
            if lang == "ru"
            else f"{day['attributive']} №\u00a0{contract.number} басқару шарты бойынша "
            f"{MANAGEMENT_SUBJECT['kk']}",
        }
        if contract is not None and day is not None
        else None,
    }


def osi(creditor: Creditor, lang: Lang) -> dict[str, str]:
    return OSI_CHAIRMAN[creditor.form.is_management_subject][lang]
