"""The public verification page as HTML (finding #19): Jinja2 with autoescape, Kazakh first and
Russian beside it, no external assets, no debtor data.

Only what ``PublicCheck`` and ``UploadCheck`` carry reaches the template: the number, the date,
the kind, the creditor's name, the SHA-256 and the verdicts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import jinja2

from service.documents.wording import DOCUMENT_KINDS
from service.evidence.checks import PublicCheck, UploadCheck
from service.kernel.text import Localized

Problem = Literal["too_large", "no_file", "unknown_link"]

"""Each kind's name on the page; a kind not listed shows its code in both languages."""

HEADERS = {
    # Nothing is loaded from elsewhere; the form posts back here only; no framing; the token in
    # the URL is never sent on as a referrer; nothing is cached or indexed.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "html"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _document(found: PublicCheck) -> dict[str, Any]:
    kind = DOCUMENT_KINDS.get(found.kind, Localized(kk=found.kind, ru=found.kind))
    return {
        "valid": found.valid,
        "archive_ok": found.archive.ok,
        "signature_ok": found.signature.ok,
        "development_key": found.development_key,
        "number": found.number,
        "date": found.issue_date.strftime("%d.%m.%Y"),
        "kind": kind.as_dict(),
        "creditor": found.creditor.as_dict(),
        "sha256": found.sha256,
        "template_version": found.template_version,
    }


def verify_page(
    found: PublicCheck,
    *,
    limit: int,
    upload: UploadCheck | None = None,
    problem: Problem | None = None,
) -> str:
    return _ENV.get_template("verify.html").render(
        status="found",
        doc=_document(found),
        upload=upload and {"sha256": upload.sha256, "matches": upload.matches},
        problem=problem,
        limit_mb=_megabytes(limit),
    )


def not_found_page() -> str:
    return _ENV.get_template("verify.html").render(status="not_found")


def _megabytes(limit: int) -> str:
    value = limit / (1024 * 1024)
    return f"{value:.0f}" if value >= 1 else f"{value:.1f}".replace(".", ",")
