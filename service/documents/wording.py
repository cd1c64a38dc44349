"""Names the documents print for contributions and units, in Kazakh and Russian (one vocabulary,
used by every kind and every part)."""

from __future__ import annotations

from service.cases.case import UnitType
from service.cases.debt import Contribution
from service.kernel.text import Lang, Localized

# (phrase used in sentences, short name used in table cells)
CONTRIBUTIONS: dict[Contribution, dict[Lang, tuple[str, str]]] = {
    Contribution.CURRENT: {
        "kk": ("ағымдағы жарналар", "ағымдағы"),
        "ru": ("текущие взносы", "текущие"),
    },
    Contribution.ACCUMULATIVE: {
        "kk": ("жинақтаушы жарналар", "жинақтаушы"),
        "ru": ("накопительные взносы", "накопительные"),
    },
    Contribution.PARKING: {
        "kk": ("тұрақ орны мен қойма үшін ағымдағы жарналар", "тұрақ, қойма"),
        "ru": ("текущие взносы за паркинг и кладовку", "паркинг, кладовка"),
    },
    Contribution.TARGET: {
        "kk": ("нысаналы жарналар", "нысаналы"),
        "ru": ("целевые взносы", "целевые"),
    },
}

UNITS: dict[UnitType, dict[Lang, str]] = {
    UnitType.FLAT: {"kk": "пәтер", "ru": "квартира"},
    UnitType.NON_RESIDENTIAL: {"kk": "тұрғын емес үй-жай", "ru": "нежилое помещение"},
    UnitType.PARKING: {"kk": "тұрақ орны", "ru": "парковочное место"},
    UnitType.STORAGE: {"kk": "қойма", "ru": "кладовка"},
}


# How a Russian address line names the unit («…, д. 21, кв. 45»).
ADDRESS_RU: dict[UnitType, str] = {
    UnitType.FLAT: "кв.",
    UnitType.NON_RESIDENTIAL: "нежилое помещение",
    UnitType.PARKING: "парковочное место",
    UnitType.STORAGE: "кладовая",
}


def property_address(address: str, unit_type: UnitType, number: str, lang: Lang) -> str:
    """The unit's address: the building's (the creditor's address) and the unit."""
    if lang == "ru":
        return f"{address}, {ADDRESS_RU[unit_type]}\u00a0{number}"
    return f"{address}, {unit_label(unit_type, number, lang)}"


def unit_label(unit_type: UnitType, number: str, lang: Lang) -> str:
    """``№ 45 пәтер`` (kk), ``квартира № 45`` (ru): how a letter names the debtor's unit."""
    name = UNITS[unit_type][lang]
    return f"№\u00a0{number} {name}" if lang == "kk" else f"{name} №\u00a0{number}"


def contribution_phrase(contribution: Contribution, lang: Lang) -> str:
    return CONTRIBUTIONS[contribution][lang][0]


def contribution_short(contribution: Contribution, lang: Lang) -> str:
    return CONTRIBUTIONS[contribution][lang][1]


DOCUMENT_KINDS: dict[str, Localized] = {
    "reminder": Localized(kk="Еске салу хат", ru="Напоминание"),
    "warning": Localized(kk="Ресми ескерту", ru="Официальное предупреждение"),
    "restructuring": Localized(
        kk="Берешекті қайта құрылымдау туралы келісім",
        ru="Соглашение о реструктуризации задолженности",
    ),
    "pretrial": Localized(kk="Сотқа дейінгі талап", ru="Досудебная претензия"),
    "statement": Localized(
        kk="Берешек және қабылданған шаралар туралы анықтама",
        ru="Справка о задолженности и принятых мерах",
    ),
}
"""How a document of each kind is named where it is listed (a statement's documents, the public
verification page); a kind not listed here (registered by a deployment) shows its code."""
