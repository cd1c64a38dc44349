"""The lawyer's page of campaign runs waiting for approval (``/ui/campaigns``): what each run
prepared and refused, and a form to approve exactly those drafts (their digest) or reject the
run; and a run's own page (``/ui/campaigns/<campaign>/runs/<run>``): its drafts case by case,
"nothing issued" until a person approves, then its progress (issued and sent out of approved,
a ``<progress>`` bar; the page asks the browser to reload it every few seconds while the run
works — a ``Refresh`` header, no script) and its outcome with each document's number.
The same use cases as the API; the session's key decides (an auditor sees no form)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from service.campaigns import service
from service.campaigns.definition import SENT_CHANNELS
from service.creditors.auth import GRANTS, Permission
from service.documents.wording import DOCUMENT_KINDS
from service.kernel.text import Localized
from service.kit.deps import DbSession, WiringDep
from service.web.pages import PREFIX, CheckedForm, Renderer, Viewer, redirect

L = Localized

LABELS: dict[str, Localized] = {
    "campaigns.title": L("Таратулар: бекітуді күтетіндер", "Рассылки, ожидающие утверждения"),
    "campaigns.hint": L(
        "Құжаттарды адам бекітпейінше, олар нөмірленбейді және жіберілмейді («Дербес деректер "
        "және оларды қорғау туралы» Заңның 19-1-бабы).",
        "Документы не нумеруются и не отправляются, пока их не утвердит человек (ст. 19-1 "
        "Закона «О персональных данных и их защите»).",
    ),
    "campaigns.none": L("Бекітуді күтетін тарату жоқ.", "Нет рассылок, ожидающих утверждения."),
    "campaigns.campaign": L("Тарату", "Рассылка"),
    "campaigns.kind": L("Құжат түрі", "Вид документа"),
    "campaigns.channel": L("Арна", "Канал"),
    "campaigns.started": L("Басталды", "Начата"),
    "campaigns.prepared": L("Дайындалды", "Подготовлено"),
    "campaigns.refused": L("Бас тартылды", "Отказано"),
    "campaigns.digest": L("Жобалардың бақылау сомасы", "Контрольная сумма черновиков"),
    "campaigns.approve": L("Бекіту және шығару", "Утвердить и выпустить"),
    "campaigns.reject": L("Қабылдамау", "Отклонить"),
    "campaigns.reason": L("Себебі", "Причина"),
    "campaigns.no_right": L(
        "Тек заңгердің немесе әкімшінің кілтімен бекітуге болады.",
        "Утвердить может только ключ юриста или администратора.",
    ),
    "campaigns.recent": L("Соңғы іске қосулар", "Последние запуски"),
    "campaigns.state": L("Күйі", "Состояние"),
    "campaigns.issued": L("Шығарылды", "Выпущено"),
    "campaigns.sent": L("Жіберілді", "Отправлено"),
    "campaigns.open": L("Жобаларды қарау", "Открыть черновики"),
    "campaigns.progress": L("Барысы", "Ход"),
    "campaigns.back": L("Барлық таратулар", "Все рассылки"),
    "campaigns.nothing_issued": L(
        "Әзірге ештеңе шығарылған жоқ: құжаттарға нөмір берілмеді, ешкімге ештеңе жіберілмеді.",
        "Пока ничего не выпущено: документам не присвоены номера, никому ничего не отправлено.",
    ),
    "campaigns.refreshing": L(
        "Тарату жұмыс істеп жатыр: бет әр {seconds} секунд сайын жаңарады.",
        "Рассылка выполняется: страница обновляется каждые {seconds} секунд.",
    ),
    "campaigns.outcome": L("Нәтижесі", "Итог"),
    "campaigns.drafts": L("Жобалар", "Черновики"),
    "campaigns.case": L("Іс", "Дело"),
    "campaigns.language": L("Тілі", "Язык"),
    "campaigns.draft_status": L("Күйі", "Статус"),
    "campaigns.number": L("Құжат нөмірі", "Номер документа"),
    "campaigns.no_number": L("нөмірсіз", "без номера"),
    "campaigns.stale": L("Ескірді", "Устарело"),
    "campaigns.failed": L("Қате", "Ошибка"),
    "campaigns.send_failed": L("Жіберілмеді", "Не отправлено"),
}

STATES: dict[str, Localized] = {  # a run's state (запуск: masculine in Russian)
    "preparing": L("жобалар дайындалуда", "подготовка черновиков"),
    "awaiting_approval": L("бекітуді күтуде", "ожидает утверждения"),
    "approved": L("бекітілді", "утверждён"),
    "issuing": L("құжаттар шығарылуда", "выпуск документов"),
    "sending": L("жіберілуде", "отправка"),
    "done": L("аяқталды", "завершён"),
    "rejected": L("қабылданбады", "отклонён"),
    "failed": L("қатеге байланысты тоқтатылды", "прерван из-за ошибки"),
}
DRAFT_STATES: dict[str, Localized] = {  # a draft's status (черновик: masculine in Russian)
    "pending": L("дайындалуда", "готовится"),
    "prepared": L("дайындалды, бекітуді күтуде", "подготовлен, ждёт утверждения"),
    "refused": L("ережелер бойынша бас тартылды", "отклонён по правилам"),
    "approved": L("бекітілді, шығарылуды күтуде", "утверждён, ждёт выпуска"),
    "issued": L("шығарылды", "выпущен"),
    "stale": L("бекітуден кейін өзгерді, шығарылмады", "изменился после утверждения, не выпущен"),
    "failed": L("қатеге байланысты шығарылмады", "не выпущен из-за ошибки"),
    "declined": L("қабылданбады", "отклонён"),
}
DRAFT_LANGUAGES: dict[str, Localized] = {
    "kk": L("қазақша", "казахский"),
    "ru": L("орысша", "русский"),
    "bilingual": L("қазақша және орысша", "казахский и русский"),
}
LANGUAGE_RULES: dict[str, Localized] = {
    "preferred": L("борышкер таңдаған тілде", "на языке, выбранном должником"),
    "kk": L("қазақ тілінде", "на казахском языке"),
    "ru": L("орыс тілінде", "на русском языке"),
    "bilingual": L("қазақ және орыс тілдерінде", "на казахском и русском языках"),
}
CHANNELS: dict[str, Localized] = {  # the words of service/auditor/labels.py
    "email": L("электрондық пошта", "электронная почта"),
    "sms": L("SMS", "SMS"),
    "post": L("пошта", "почта"),
    "none": L("жіберілмейді", "не отправляется"),
}
"""The codes the page shows, in words; a code missing here is shown as is."""

RUNNING = frozenset({"selecting", "preparing", "issuing", "sending"})
"""States in which a run's page reloads itself."""
REFRESH_SECONDS = 5

RENDERER = Renderer(Path(__file__).parent / "html", LABELS)
router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/campaigns", response_class=HTMLResponse)
def runs_page(request: Request, session: DbSession, caller: Viewer) -> HTMLResponse:
    rows = []
    for campaign in service.list_campaigns(session, caller):
        for run in service.runs_of(session, caller, campaign.id):
            rows.append((campaign, service.run_out(session, run)))
    waiting = [(c, r) for c, r in rows if r.state == "awaiting_approval"]
    recent = [(c, r) for c, r in rows if r.state != "awaiting_approval"][-20:]
    may_approve = Permission.APPROVE_CAMPAIGNS in GRANTS[caller.role]
    return RENDERER.render(
        request,
        "runs.html",
        waiting=waiting,
        recent=recent,
        may_approve=may_approve,
        kinds=DOCUMENT_KINDS,
        language_rules=LANGUAGE_RULES,
        channels=CHANNELS,
        states=STATES,
    )


@router.get("/campaigns/{campaign_id}/runs/{run_id}", response_class=HTMLResponse)
def run_page(
    request: Request, campaign_id: str, run_id: str, session: DbSession, caller: Viewer
) -> HTMLResponse:
    campaign, row = service.get_run(session, caller, campaign_id, run_id)
    run = service.run_out(session, row)
    drafts = service.drafts_of(session, caller, campaign_id, run_id, None)
    running = run.state in RUNNING
    return RENDERER.render(
        request,
        "run.html",
        headers={"Refresh": str(REFRESH_SECONDS)} if running else None,
        campaign=campaign,
        run=run,
        drafts=drafts,
        running=running,
        refresh_seconds=REFRESH_SECONDS,
        sends=campaign.channel in SENT_CHANNELS,
        may_approve=Permission.APPROVE_CAMPAIGNS in GRANTS[caller.role],
        kinds=DOCUMENT_KINDS,
        language_rules=LANGUAGE_RULES,
        draft_languages=DRAFT_LANGUAGES,
        channels=CHANNELS,
        states=STATES,
        draft_states=DRAFT_STATES,
    )


def _run_path(campaign_id: str, run_id: str) -> str:
    return f"{PREFIX}/campaigns/{quote(campaign_id, safe='')}/runs/{quote(run_id, safe='')}"


@router.post("/campaigns/{campaign_id}/runs/{run_id}/approve")
def approve_run(
    campaign_id: str,
    run_id: str,
    form: CheckedForm,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
) -> RedirectResponse:
    digest = form.get("drafts_digest", "")
    run = service.approve(session, wiring.clock, caller, campaign_id, run_id, digest)
    return redirect(_run_path(run.campaign_id, run.id))


@router.post("/campaigns/{campaign_id}/runs/{run_id}/reject")
def reject_run(
    campaign_id: str,
    run_id: str,
    form: CheckedForm,
    session: DbSession,
    caller: Viewer,
    wiring: WiringDep,
) -> RedirectResponse:
    reason = (form.get("reason") or "").strip()[:2000] or None
    run = service.reject(session, wiring.clock, caller, campaign_id, run_id, reason)
    return redirect(_run_path(run.campaign_id, run.id))
