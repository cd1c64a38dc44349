"""The canonical ZIP and reading uploads (pure)."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from service.errors import ValidationFailed
from service.templates.bundle import MAX_BYTES, MAX_FILES, canonical_zip, read_upload, version_id


def zipped(files: dict[str, bytes], *, link: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return out.getvalue()


def codes(failed: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [e.code for e in failed.value.errors]


def test_the_same_files_give_the_same_bytes_and_id_whatever_their_order() -> None:
    one = {"b.typ": b"b", "a/c.typ": b"c"}
    two = {"a/c.typ": b"c", "b.typ": b"b"}
    assert canonical_zip(one) == canonical_zip(two)
    assert version_id(one) == version_id(two)
    assert version_id(one) != version_id({**one, "b.typ": b"B"})
    with zipfile.ZipFile(io.BytesIO(canonical_zip(one))) as archive:
        assert archive.namelist() == ["a/c.typ", "b.typ"]
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_one_file_is_its_own_entry() -> None:
    bundle = read_upload("C:\\Users\\lawyer\\reminder.docx", b"PK-not-really")
    assert bundle.entry == "reminder.docx" and set(bundle.files) == {"reminder.docx"}


def test_a_zip_of_the_template_folder_drops_the_folder_and_finds_the_entry() -> None:
    data = zipped(
        {"reminder/kk/reminder.typ": b"x", "reminder/common/a.typ": b"y", "reminder/.DS_Store": b""}
    )
    bundle = read_upload("reminder.zip", data)
    assert bundle.entry == "kk/reminder.typ"
    assert set(bundle.files) == {"kk/reminder.typ", "common/a.typ"}


def test_traversal_absolute_names_and_links_are_refused_all_at_once() -> None:
    data = zipped({"../evil.typ": b"x", "/etc/x.typ": b"y", "ok.typ": b"z"}, link="l.typ")
    with pytest.raises(ValidationFailed) as failed:
        read_upload("t.zip", data)
    assert sorted(codes(failed)) == ["symlink", "unsafe_name", "unsafe_name"]
    assert {e.path for e in failed.value.errors} == {"source"}


def test_too_many_files_and_too_many_bytes_are_refused() -> None:
    many = zipped({f"f{i}.typ": b"" for i in range(MAX_FILES + 1)})
    with pytest.raises(ValidationFailed) as failed:
        read_upload("t.zip", many)
    assert codes(failed) == ["too_many_files"]
    bomb = zipped({"a.typ": b"0" * (MAX_BYTES + 1)})  # compresses to a few KiB
    assert len(bomb) < 100_000
    with pytest.raises(ValidationFailed) as failed:
        read_upload("t.zip", bomb)
    assert codes(failed) == ["too_large"]


def test_no_single_entry_is_refused() -> None:
    with pytest.raises(ValidationFailed) as failed:
        read_upload("t.zip", zipped({"a.typ": b"", "b.typ": b""}))
    assert codes(failed) == ["no_entry"]
