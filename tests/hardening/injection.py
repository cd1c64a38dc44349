"""Hostile texts for the injection tests (issue 13, item 9), and the means to see that none of
them was evaluated: a loopback «canary» HTTP server that records every request it gets (a payload
that made an engine fetch a URL would show there) and the marks a read file or an evaluated
expression would leave in the output.

Every payload is a text a client could send in a free-text field. Each one is either printed
exactly as sent or refused with a 4xx naming the field; ``CANARY`` in a payload is replaced by the
canary server's ``host:port`` before it is sent.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from service.kernel.identifiers import is_valid_id_number

PAYLOADS: tuple[str, ...] = (
    # Typst markup and code: data reaches Typst as JSON, never as markup
    '#read("/etc/passwd")',
    '#import "/etc/passwd": *',
    '#include "../../../etc/passwd" #image("/etc/passwd")',
    '```typ #eval("7*7777")``` `#sys.inputs`',
    "] #[ #set text(fill: red) $x^2$ *bold* _it_ <label> @ref \\",
    # Jinja and docxtpl (the Word and HTML engines)
    "{{ 7*7777 }} {{ config }} {{ t.__class__.__mro__ }}",
    "{% for x in range(3) %}LOOP{% endfor %} {# comment #}",
    "{%p if 1 %}{%tr for r in x %}{{r x }}{%tc endfor %}{%p endif %}",
    # Word XML and general markup breakers
    '</w:t></w:r><w:r><w:t xml:space="preserve">INJECTED]]>',
    "A & B < C > \"D\" 'E' &amp; &#x41; <![CDATA[x]]>",
    # HTML, CSS and URLs (WeasyPrint would fetch them if they were markup)
    "<script>alert(document.cookie)</script>",
    '<img src="http://CANARY/img.png" onerror="alert(1)">',
    '<link rel="stylesheet" href="http://CANARY/style.css">',
    '<style>body{background:url("http://CANARY/bg.png")}</style> url(http://CANARY/u)',
    "file:///etc/passwd",
    # mail headers
    "x@example.kz\r\nBcc: victim@example.com\r\nSubject: spoofed",
    # spreadsheet formulas (OWASP CSV injection)
    '=HYPERLINK("http://CANARY/x","click")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    # format strings and lookups
    "%s%s%n {0} ${jndi:ldap://CANARY/a} $(id) `id`",
    # long words, right-to-left, backslashes
    "Ж" * 150,
    "شركة الاختبار للخدمات",
    "Иванов \u202e00.001 тг",
    "C:\\Windows\\System32 \\\\server\\share \\n \\u0000",
)

EVALUATED_MARKS = ("root:x:0:0", "54439", "LOOPLOOP", "<class ")
"""What a read ``/etc/passwd`` or an evaluated payload would leave in the output: the root entry,
7*7777, the loop run three times, a Python class."""


def with_canary(payload: str, canary: str) -> str:
    return payload.replace("CANARY", canary)


def valid_bin(n: int) -> str:
    """The ``n``-th valid БИН of a made-up series (each test tenant needs its own)."""
    for last in range(10):
        for tail in range(n * 10, n * 10 + 10):
            candidate = f"1903400{tail:04d}{last}"
            if is_valid_id_number(candidate):
                return candidate
    raise AssertionError(f"no valid БИН near {n}")


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def _record(self) -> None:
        _Canary.hits.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"CANARY-BODY")

    do_GET = do_POST = do_HEAD = _record

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Canary:
    address: str
    """``127.0.0.1:<port>``: what replaces ``CANARY`` in the payloads."""
    hits: list[str] = field(default_factory=list)


@contextmanager
def canary_server() -> Iterator[Canary]:
    _Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Canary(f"127.0.0.1:{server.server_address[1]}", _Canary.hits)
    finally:
        server.shutdown()
        server.server_close()


def named_fields(body: Mapping[str, Any]) -> set[str]:
    """The field paths a 4xx error answer names (``errors[].path`` or ``fields[].path``)."""
    found = [*body.get("errors", []), *body.get("fields", [])]
    return {str(e.get("path")) for e in found if isinstance(e, Mapping) and e.get("path")}


def evaluated(text: str) -> list[str]:
    return [mark for mark in EVALUATED_MARKS if mark in text]
