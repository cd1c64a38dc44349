"""Acceptance (issue 9): "A version that threatens to cut off water or electricity is refused
with the article" — end to end through the upload endpoint: the 422 lists the problem with the
provision, its citation, the file and the line; an innocent change of the same file is accepted."""

from __future__ import annotations

import io
import zipfile

from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.bundled import bundled_dir
from tests.api import key_for

TEXT = "common/text-reminder.typ"
THREAT = (
    "    say((t, l) => [Берешек өтелмесе, үй-жай судан және электр энергиясынан ажыратылады.], "
    "(t, l) => [При неоплате подача воды и электроэнергии в Ваше помещение будет прекращена.]),"
)


def _reminder_zip(extra_line: str | None) -> tuple[bytes, int | None]:
    """The bundled ru reminder's folder, zipped, with ``extra_line`` added before the
    calculation; the line number it has."""
    root = bundled_dir("templates")
    files = {f"common/{p.name}": p.read_bytes() for p in sorted((root / "common").glob("*.typ"))}
    files["ru/reminder.typ"] = (root / "ru" / "reminder.typ").read_bytes()
    line_number = None
    if extra_line is not None:
        lines = files[TEXT].decode().split("\n")
        index = next(i for i, text in enumerate(lines) if "calculation-intro," in text)
        lines.insert(index, extra_line)
        files[TEXT] = "\n".join(lines).encode()
        line_number = index + 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"reminder/{name}", data)
    return out.getvalue(), line_number


def _upload(client: TestClient, key: str, data: bytes) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post(
        "/v1/templates/reminder/ru/versions",
        headers={"Authorization": f"Bearer {key}"},
        files={"source": ("reminder.zip", data, "application/zip")},
        data={"engine": "typst", "changelog": "Stricter wording."},
    )
    return response.status_code, response.json()


def test_a_version_threatening_to_cut_off_water_and_electricity_is_refused_with_the_article(
    client: TestClient, wiring: Wiring
) -> None:
    key = key_for(wiring, None, "lawyer")
    data, line = _reminder_zip(THREAT)
    status, body = _upload(client, key, data)
    assert status == 422, body
    cutoff = [e for e in body["errors"] if e["code"] == "content_utility_cutoff"]
    assert len(cutoff) == 2, body  # the Kazakh and the Russian sentence
    for error in cutoff:
        assert error["path"] == "source"
        assert (error["file"], error["line"], error["provision"]) == (TEXT, line, "housing-38")
    assert "ст. 38 Закона РК «О жилищных отношениях»" in cutoff[1]["message"]
    assert "подача воды" in cutoff[1]["message"]


def test_the_same_file_without_the_threat_is_accepted(client: TestClient, wiring: Wiring) -> None:
    key = key_for(wiring, None, "lawyer")
    innocent = (
        "    say((t, l) => [Жарналарды төлемеу ажыратуға негіз болмайды.], "
        "(t, l) => [Неуплата взносов не является основанием для отключения воды.]),"
    )
    data, _ = _reminder_zip(innocent)
    status, body = _upload(client, key, data)
    assert status == 201, body
