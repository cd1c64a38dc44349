"""Building template versions for tests: the bundled reminder with one sentence changed."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from service.bootstrap import Wiring
from service.creditors.auth import Principal, Role
from service.templates import service as templates
from service.templates.bundled import bundles

OLD_SALUTATION = "Құрметті меншік иесі!"
NEW_SALUTATION = "Қадірлі меншік иесі!"


def lawyer(key_id: str, creditor_id: str | None = None) -> Principal:
    return Principal(key_id=key_id, role=Role.LAWYER, creditor_id=creditor_id)


def changed_reminder(wiring: Wiring, language: str = "kk", new: str = NEW_SALUTATION) -> bytes:
    """A ZIP of the bundled reminder's folder with its salutation changed (as a lawyer would
    upload it: a folder, zipped with whatever timestamps)."""
    bundle, _ = bundles(wiring.settings.templates_dir)[("reminder", language)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in bundle.files.items():
            if name == "common/text-reminder.typ":
                data = data.decode().replace(OLD_SALUTATION, new).encode()
            archive.writestr(f"reminder/{name}", data)
    return out.getvalue()


def live_new_reminder(
    wiring: Wiring,
    live_from: dt.datetime,
    *,
    author: Principal | None = None,
    approver: Principal | None = None,
    language: str = "kk",
    new: str = NEW_SALUTATION,
    provisions: str | None = None,
) -> str:
    """Upload, approve (a second lawyer) and schedule a changed reminder; its version id."""
    author = author or lawyer("author")
    approver = approver or lawyer("approver", author.creditor_id)
    ports = wiring.templating()
    with wiring.db.transaction() as session:
        created = templates.upload(
            session,
            ports,
            author,
            "reminder",
            language,
            filename="reminder.zip",
            data=changed_reminder(wiring, language, new),
            engine="typst",
            changelog="A warmer salutation.",
            provisions=provisions,
        )
    with wiring.db.transaction() as session:
        templates.approve(session, ports, approver, created.id)
        templates.schedule(session, ports, approver, created.id, live_from)
    return created.id
