"""Screenshots of the auditor's and the lawyer's pages at 1280 px, from the fictitious demo data
(service/demo).

    .venv/bin/python scripts/ui_screenshots.py [docs]

Seeds the demo creditor into a throw-away data directory, issues a reminder for the first demo
case and records its delivery with a demo receipt, serves the app on a loopback port and lets
Chromium (/usr/bin/chromium, or TALAP_TEST_CHROMIUM) photograph the login page, the case search,
the case with its timeline and the document page. For the lawyer's workbench it makes the
bundled Word reminder live for the demo creditor (two demo lawyers), uploads a second version
with one sentence changed, and photographs the template list, that version with its checks, the
upload form refusing a version that threatens to cut off utilities (every problem with its
place), and the redline. Each PNG is quantised to stay small.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sys
import tempfile
from pathlib import Path

import httpx
from PIL import Image
from playwright.sync_api import Page, sync_playwright

from service.bootstrap import build_wiring, migrate_database
from service.clock import FixedClock
from service.creditors.service import create_key
from service.demo.seed import seed_demo
from service.settings import Settings
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, serving
from tests.workbench.steps import (
    Lawyers,
    make_live,
    upload_version,
    with_changed_sentence,
    word_reminder,
)

DAY = dt.date(2026, 11, 24)
WIDTH = 1280
HEIGHT = 820
RECEIPT = b"%PDF-1.4 DEMO: scanned receipt of registered letter RR000000001KZ (fictitious)"


def _small_png(raw: bytes, target: Path) -> int:
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    return target.stat().st_size


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(DAY)
        wiring = build_wiring(Settings(data_dir=Path(tmp)), clock=clock)
        migrate_database(wiring)
        creditor_id, system_key, cases = seed_demo(wiring.db, wiring.clock)
        with wiring.db.transaction() as session:
            auditor_key = create_key(
                session, wiring.clock, creditor_id=creditor_id, role="auditor", actor="demo"
            )
            team = Lawyers(
                *(
                    create_key(
                        session, wiring.clock, creditor_id=creditor_id, role="lawyer", actor="demo"
                    )
                    for _ in range(2)
                )
            )
        case = cases[0]
        with serving(wiring) as base:
            auth = {"Authorization": f"Bearer {system_key}"}
            with httpx.Client(base_url=base, headers=auth, timeout=60) as http:
                issued = http.post(
                    f"/v1/cases/{case}/documents", json={"kind": "reminder", "language": "kk"}
                )
                issued.raise_for_status()
                document = issued.json()
                delivery = {
                    "channel": "registered_post",
                    "status": "delivered",
                    "delivered_at": DAY.isoformat(),
                    "tracking_number": "RR000000001KZ",
                }
                http.post(
                    f"/v1/documents/{document['id']}/deliveries",
                    data={"delivery": json.dumps(delivery)},
                    files=[("proof", ("receipt-demo.pdf", RECEIPT, "application/pdf"))],
                ).raise_for_status()
                v1 = upload_version(http, team.author, word_reminder(), "Word: первая версия")
                make_live(http, team, v1["id"], clock)
                v2 = upload_version(
                    http,
                    team.author,
                    with_changed_sentence(word_reminder()),
                    "Изменено предложение о погашённой задолженности",
                )
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="kk-KZ")
                shots: list[tuple[str, str]] = [("ui-login.png", f"{base}/ui/login")]
                page.goto(shots[0][1])
                page.screenshot()  # warm the fonts
                sizes = {}
                for name, url in [
                    ("ui-login.png", f"{base}/ui/login"),
                    ("ui-cases.png", f"{base}/ui/cases"),
                    ("ui-case-timeline.png", f"{base}/ui/cases/{case}"),
                    ("ui-document.png", f"{base}/ui/documents/{document['id']}"),
                ]:
                    if name == "ui-cases.png":
                        page.goto(f"{base}/ui/login")
                        page.fill("#api_key", auditor_key)
                        with page.expect_navigation():
                            page.click("#login button[type=submit]")
                    page.goto(url)
                    if name == "ui-case-timeline.png":  # the timeline is below the fold
                        shot = page.screenshot(
                            full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": 1700}
                        )
                    else:
                        shot = page.screenshot(full_page=name == "ui-document.png")
                    sizes[name] = _small_png(shot, out / name)
                sizes.update(_workbench(page, base, team, v1["id"], v2["id"], out))
                browser.close()
        wiring.close()
    for name, size in sizes.items():
        print(f"{out / name}: {size // 1024} KiB")
    return 0


THREAT = "Если задолженность не будет погашена, подача электроэнергии и воды будет приостановлена."


def _workbench(page: Page, base: str, team: Lawyers, v1: str, v2: str, out: Path) -> dict[str, int]:
    """The lawyer's pages, in Russian (the Word reminder photographed is the Russian one)."""
    page.context.clear_cookies()
    page.goto(f"{base}/ui/lang/ru?next=/ui/login")
    page.fill("#api_key", team.author)
    with page.expect_navigation():
        page.click("#login button[type=submit]")
    sizes = {}
    page.goto(f"{base}/ui/templates")
    sizes["ui-templates.png"] = _small_png(
        page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": 1400}),
        out / "ui-templates.png",
    )
    page.goto(f"{base}/ui/templates/versions/{v2}")
    with page.expect_navigation():
        page.click("#check-form button")
    sizes["ui-template-version.png"] = _small_png(
        page.screenshot(full_page=True), out / "ui-template-version.png"
    )
    with tempfile.TemporaryDirectory() as tmp:
        threat = Path(tmp) / "reminder.docx"
        threat.write_bytes(with_changed_sentence(word_reminder(), new=THREAT))
        page.goto(f"{base}/ui/templates/upload?kind=reminder&language=ru")
        page.select_option("#engine", "docx")
        page.set_input_files("#source", str(threat))
        page.fill("#changelog", "Проверка: угроза отключения коммунальных услуг")
        with page.expect_navigation():
            page.click("#upload-form button[type=submit]")
    sizes["ui-template-upload.png"] = _small_png(
        page.screenshot(full_page=True), out / "ui-template-upload.png"
    )
    page.goto(f"{base}/ui/templates/redline/{v1}/{v2}")
    page.wait_for_load_state("networkidle")
    sizes["ui-template-redline.png"] = _small_png(
        page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": 1900}),
        out / "ui-template-redline.png",
    )
    return sizes


if __name__ == "__main__":
    os.environ.setdefault("TALAP_LOG_LEVEL", "WARNING")
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
