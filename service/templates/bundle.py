"""A version's sources as one canonical ZIP, and reading what a lawyer uploads (pure).

The version id is the SHA-256 of the canonical ZIP: names sorted, every timestamp and permission
fixed, so the same files always give the same bytes and the same id, whoever zipped them. That
ZIP is what the archive keeps (its object name is the id).

An upload is one file (``reminder.docx``) or a ZIP of the template folder. Everything a ZIP can
smuggle is refused with a field error on ``source``: absolute names, ``..``, symlinks, more files
or more bytes than a template needs (a ZIP bomb is cut off while reading, not after).
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from collections.abc import Mapping
from pathlib import PurePosixPath

from service.errors import FieldError, ValidationFailed
from service.rendering.engines import SourceBundle

MAX_FILES = 200
MAX_BYTES = 10 * 1024 * 1024
"""Uncompressed total of a version's files (the upload itself is limited to the same)."""
ENTRY_SUFFIXES = (".typ", ".docx", ".html")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def canonical_zip(files: Mapping[str, bytes]) -> bytes:
    """The files as a ZIP with sorted names and fixed timestamps and permissions."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, files[name], compresslevel=9)
    return out.getvalue()


def version_id(files: Mapping[str, bytes]) -> str:
    return hashlib.sha256(canonical_zip(files)).hexdigest()


def read_canonical(data: bytes, entry: str) -> SourceBundle:
    """A stored canonical ZIP back as a bundle (it was checked when uploaded)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    return SourceBundle(files=files, entry=entry)


def read_upload(filename: str, data: bytes, entry: str | None = None) -> SourceBundle:
    """The bundle an upload holds; ``ValidationFailed`` listing every problem with it."""
    if len(data) > MAX_BYTES:
        raise ValidationFailed([_too_big()])
    if zipfile.is_zipfile(io.BytesIO(data)) and not filename.lower().endswith(".docx"):
        files, errors = _unzip(data)
    else:
        name = _clean(PurePosixPath(filename.replace("\\", "/")).name)
        if name is None:
            raise ValidationFailed([FieldError("source", "invalid_name", "the file has no name")])
        files, errors = {name: data}, []
    if not errors and not files:
        errors.append(FieldError("source", "empty", "the ZIP holds no files"))
    if errors:
        raise ValidationFailed(errors)
    chosen = entry if entry is not None else _entry(files)
    if chosen is None or chosen not in files:
        message = (
            f"{entry!r} is not in the upload"
            if entry is not None
            else "no single entry file (one .typ, .docx or .html outside common/) in the upload"
        )
        raise ValidationFailed([FieldError("source", "no_entry", message)])
    return SourceBundle(files=files, entry=chosen)


def _unzip(data: bytes) -> tuple[dict[str, bytes], list[FieldError]]:
    errors: list[FieldError] = []
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_FILES:
            return {}, [
                FieldError("source", "too_many_files", f"{len(members)} files; at most {MAX_FILES}")
            ]
        names = [PurePosixPath(info.filename.replace("\\", "/")) for info in members]
        prefix = _common_folder(names)
        total = 0
        for info in members:
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                errors.append(
                    FieldError("source", "symlink", f"{info.filename}: links are not allowed")
                )
                continue
            name = _clean(info.filename.replace("\\", "/"))
            if name is None:
                errors.append(
                    FieldError(
                        "source", "unsafe_name", f"{info.filename}: absolute or outside the folder"
                    )
                )
                continue
            if prefix:
                name = str(PurePosixPath(name).relative_to(prefix))
            if name.startswith("__MACOSX/") or PurePosixPath(name).name == ".DS_Store":
                continue
            budget = MAX_BYTES - total
            with archive.open(info) as member:
                content = member.read(budget + 1)
            total += len(content)
            if total > MAX_BYTES:
                return {}, [_too_big()]
            files[name] = content
    return files, errors


def _clean(name: str) -> str | None:
    """``name`` as a relative POSIX path inside the folder, or ``None`` if it is not one."""
    if not name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    path = PurePosixPath(name)
    if ".." in path.parts or any(part.startswith("\x00") for part in path.parts):
        return None
    cleaned = str(path)
    return None if cleaned in ("", ".") else cleaned


def _common_folder(names: list[PurePosixPath]) -> str | None:
    """The one folder every file is in (a ZIP of ``reminder/`` holds ``reminder/…``)."""
    tops = {path.parts[0] for path in names if len(path.parts) > 1}
    if len(tops) == 1 and all(len(path.parts) > 1 for path in names):
        return tops.pop()
    return None


def _entry(files: Mapping[str, bytes]) -> str | None:
    candidates = [n for n in files if n.lower().endswith(ENTRY_SUFFIXES)]
    top = [n for n in candidates if "/" not in n]
    if len(top) == 1:
        return top[0]
    outside_common = [n for n in candidates if not n.startswith("common/")]
    if len(outside_common) == 1:
        return outside_common[0]
    return None


def _too_big() -> FieldError:
    return FieldError("source", "too_large", f"the sources exceed {MAX_BYTES} bytes")
