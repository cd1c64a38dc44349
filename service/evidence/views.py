"""Wording shared by the pack's PDF, its court index and its manifest: Kazakh and Russian."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from service.evidence.pack import EvidencePack
from service.kernel.route import Route
from service.kernel.text import Localized
from service.kernel.words import format_amount

TITLE = Localized(kk="Дәлелдемелер топтамасы", ru="Доказательственный пакет")

ROUTES = {
    Route.NOTARY: Localized(
        kk="Нотариаттық тәртіп (атқарушылық жазба)",
        ru="Нотариальный порядок (исполнительная надпись)",
    ),
    Route.COURT: Localized(kk="Сот тәртібі (талап арыз)", ru="Судебный порядок (иск)"),
}

HEADINGS = {
    "cover": Localized(kk="Тараптар", ru="Стороны"),
    "debt": Localized(kk="Берешек", ru="Задолженность"),
    "basis": Localized(kk="Құқықтық негіз", ru="Правовое основание"),
    "chronology": Localized(kk="Хронология", ru="Хронология"),
    "readiness": Localized(kk="Жүгінуге дайындық", ru="Готовность к обращению"),
    "validation": Localized(kk="Қолтаңбалар мен хэштерді тексеру", ru="Проверка подписей и хешей"),
    "files": Localized(kk="Қоса берілген файлдар", ru="Приложенные файлы"),
    "index": Localized(kk="Файлдар тізімі", ru="Опись файлов"),
}

LABELS = {
    "creditor": Localized(kk="Өндіріп алушы", ru="Взыскатель"),
    "debtor": Localized(kk="Борышкер", ru="Должник"),
    "unit": Localized(kk="Үй-жай", ru="Помещение"),
    "bin": Localized(kk="БСН", ru="БИН"),
    "iin": Localized(kk="ЖСН", ru="ИИН"),
    "missing": Localized(kk="Жетіспейді", ru="Не хватает"),
    "proof": Localized(kk="Тапсыру дәлелі", ru="Доказательство вручения"),
    "file": Localized(kk="Файл", ru="Файл"),
    "number": Localized(kk="Нөмірі, күні", ru="Номер, дата"),
    "template": Localized(kk="Үлгі нұсқасы", ru="Версия шаблона"),
    "sha256": Localized(kk="SHA-256", ru="SHA-256"),
    "size": Localized(kk="Көлемі, байт", ru="Размер, байт"),
    "delivery": Localized(kk="Тапсыру", ru="Вручение"),
    "content_type": Localized(kk="Түрі", ru="Тип"),
}

STATUSES = {
    "ok": Localized(kk="дұрыс", ru="в порядке"),
    "missing": Localized(kk="жетіспейді", ru="не хватает"),
    "review": Localized(kk="заңгер тексереді", ru="проверит юрист"),
    "fail": Localized(kk="сәйкес емес", ru="не совпадает"),
    "na": Localized(kk="—", ru="—"),
}

DEBT = (
    ("charged", Localized(kk="Есептелді", ru="Начислено")),
    ("paid", Localized(kk="Төленді", ru="Оплачено")),
    ("outstanding", Localized(kk="Берешек", ru="Задолженность")),
    ("overdue", Localized(kk="оның ішінде мерзімі өткені", ru="в т. ч. просрочено")),
    ("past_gate", Localized(kk="екі айдан асқаны", ru="старше двух месяцев")),
    ("penalty", Localized(kk="Өсімпұл", ru="Пеня")),
    (
        "claim_principal",
        Localized(kk="Талап етіледі: негізгі борыш", ru="К взысканию: основной долг"),
    ),
    ("claim_penalty", Localized(kk="Талап етіледі: өсімпұл", ru="К взысканию: пеня")),
    ("claim_total", Localized(kk="Талап етіледі, барлығы", ru="К взысканию, всего")),
)


def money(amount: Decimal) -> str:
    return format_amount(amount)


def debt_rows(pack: EvidencePack) -> list[tuple[Localized, str]]:
    return [(label, f"{money(getattr(pack.debt, key))} ₸") for key, label in DEBT]


def both(kk: str, ru: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru}


def development_note() -> Localized:
    return Localized(
        kk="Әзірлеушінің сынақ кілтімен қол қойылған, заңды күші жоқ",
        ru="Подписано тестовым ключом разработчика — не имеет юридической силы",
    )


def provision_cites(ids: Sequence[str], cite: Callable[[str], Localized]) -> str:
    """«<kk citations> / <ru citations>», or empty when a check cites none (policy)."""
    if not ids:
        return ""
    cites = [cite(i) for i in ids]
    return "; ".join(c.kk for c in cites) + " / " + "; ".join(c.ru for c in cites)
