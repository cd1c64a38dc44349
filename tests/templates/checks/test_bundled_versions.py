"""Every template shipped with Talap passes every check (issue 9 scope 3, item 7), so the
bundled versions load cleanly: the Typst ones through the template domain's own path (its
sample case, its engines, the citations it records), the Word ones with their schemas and each
other as kk/ru siblings (``test_run_word_render.py``)."""

from __future__ import annotations

from service.bootstrap import Wiring
from service.templates.checking import run_version_checks


def test_every_bundled_typst_version_passes_every_check(wiring: Wiring) -> None:
    ports = wiring.templating()
    versions = ports.bundled()
    assert {language for _, language in versions} == {"kk", "ru", "bilingual"}
    assert len(versions) >= 13
    for (kind, language), (info, bundle, _) in sorted(versions.items()):
        assert info.provisions, (kind, language)  # the editions are checked too
        problems = run_version_checks(ports, info, bundle)
        assert problems == [], (kind, language, [p.as_dict() for p in problems])
