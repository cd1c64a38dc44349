"""What the workbench pages show, shaped from the template domain's answers (pure): problems
with their location, the changed sentence inside a changed paragraph, the schedule's moment.

The template domain answers with its own objects (versions, problems, a redline); these helpers
read them by attribute or key, so the pages do not depend on how each is built."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from service.clock import ALMATY
from service.errors import FieldError, ValidationFailed


def value(item: Any, name: str, default: Any = None) -> Any:
    """``item.name`` or ``item[name]``: one reader for dataclasses and dicts."""
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def as_mapping(item: Any) -> dict[str, Any]:
    if isinstance(item, Mapping):
        return dict(item)
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    as_dict = getattr(item, "as_dict", None)
    if callable(as_dict):
        found = as_dict()
        return dict(found) if isinstance(found, Mapping) else {}
    return {}


@dataclass(frozen=True)
class ProblemLine:
    """One problem a check found, with where it is: a file and line, or a place in a Word
    document ("paragraph 12", "table 1 row 2 cell 3", "header")."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    where: str | None = None
    provision: str | None = None
    path: str | None = None
    """For a request field's problem (``schema``, ``provisions``, ``live_from``): its name."""

    def location(self, lang: str) -> str:
        parts = []
        if self.file:
            parts.append(f"{place('file', lang)} {self.file}")
        if self.line is not None:
            parts.append(place(f"line {self.line}", lang))
        if self.where:
            parts.append(place(self.where, lang))
        if not parts and self.path and self.path != "source":
            parts.append(self.path)
        return ", ".join(parts)


def problem_line(item: Any) -> ProblemLine:
    raw = as_mapping(item)
    line = raw.get("line")
    return ProblemLine(
        code=str(raw.get("code") or raw.get("rule") or "problem"),
        message=str(raw.get("message") or ""),
        file=raw.get("file") or None,
        line=int(line)
        if isinstance(line, int) or (isinstance(line, str) and line.isdigit())
        else None,
        where=raw.get("where") or None,
        provision=raw.get("provision") or None,
        path=raw.get("path") or None,
    )


def problems(items: Iterable[Any]) -> list[ProblemLine]:
    return [problem_line(item) for item in items]


def refusal_problems(refusal: ValidationFailed) -> list[ProblemLine]:
    """Every problem of a refused upload: its field errors (with the location a check added)
    and any violation it carries."""
    return [*problems(refusal.errors), *problems(refusal.violations)]


def field_problem(error: FieldError) -> ProblemLine:
    return problem_line(error)


# --- places in a document -----------------------------------------------------------------------

_PLACES: dict[str, tuple[str, str]] = {
    "paragraph": ("абзац", "абзац"),
    "table": ("кесте", "таблица"),
    "row": ("жол", "строка"),
    "cell": ("ұяшық", "ячейка"),
    "line": ("жол", "строка"),
    "header": ("жоғарғы колонтитул", "верхний колонтитул"),
    "footer": ("төменгі колонтитул", "нижний колонтитул"),
    "file": ("файл", "файл"),
}
_PLACE = re.compile(r"\b(" + "|".join(_PLACES) + r")\b(?:\s+(\d+))?")


def place(where: str, lang: str) -> str:
    """A place the engines name in English ("table 1 row 2 cell 3", "paragraph 12", "header")
    in the page's language: «1-кесте 2-жол 3-ұяшық», «таблица 1 строка 2 ячейка 3»."""

    def named(match: re.Match[str]) -> str:
        kk, ru = _PLACES[match.group(1)]
        number = match.group(2)
        if lang == "kk":
            return f"{number}-{kk}" if number else kk
        return f"{ru} {number}" if number else ru

    return _PLACE.sub(named, where)


# --- versions and templates -------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    id: str
    status: str
    """As shown at this moment: draft, approved, scheduled, live, superseded, retired."""
    engine: str
    live_from: dt.datetime | None
    stale: tuple[str, ...]
    """Why the version is stale: one line per provision with a newer edition."""
    breaking: tuple[str, ...]
    """The required request fields it adds over the live version."""
    changelog: str
    author: str
    created_at: dt.datetime | None
    approved_by: str | None

    @property
    def short(self) -> str:
        return self.id[:12]


@dataclass(frozen=True)
class TemplateRow:
    kind: str
    language: str
    creditor_id: str | None
    versions: tuple[VersionRow, ...]

    @property
    def live(self) -> VersionRow | None:
        return next((v for v in self.versions if v.status == "live"), None)


def _name(raw: Any) -> str:
    """An enum's value, or the text itself."""
    return str(getattr(raw, "value", raw)) if raw is not None else ""


def version_row(item: Any) -> VersionRow:
    stale_raw = value(item, "stale")
    reasons = value(item, "stale_reasons") or value(item, "stale_why")
    if reasons is None and not isinstance(stale_raw, bool):
        reasons = stale_raw
    stale = tuple(_reason(r) for r in reasons or ()) or (("",) if stale_raw is True else ())
    breaking_raw = value(item, "breaking")
    if breaking_raw is True:
        breaking: tuple[str, ...] = ("",)
    elif isinstance(breaking_raw, (list, tuple)):
        breaking = tuple(_name(value(b, "name") or b) for b in breaking_raw)
    else:
        breaking = ()
    return VersionRow(
        id=str(value(item, "id")),
        status=_name(value(item, "status")),
        engine=_name(value(item, "engine")),
        live_from=value(item, "live_from"),
        stale=stale,
        breaking=breaking,
        changelog=str(value(item, "changelog") or ""),
        author=str(value(item, "author") or ""),
        created_at=value(item, "created_at"),
        approved_by=value(item, "approved_by"),
    )


def _reason(reason: Any) -> str:
    if isinstance(reason, str):
        return reason
    message = value(reason, "message")
    return str(message() if callable(message) else message or value(reason, "provision") or "")


def template_row(item: Any) -> TemplateRow:
    return TemplateRow(
        kind=_name(value(item, "kind")),
        language=_name(value(item, "language")),
        creditor_id=value(item, "creditor_id"),
        versions=tuple(version_row(v) for v in value(item, "versions") or ()),
    )


@dataclass(frozen=True)
class Cited:
    id: str
    edition_from: dt.date | None


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: str
    required: bool
    from_request: bool


@dataclass(frozen=True)
class VersionPage:
    version: VersionRow
    kind: str
    language: str
    creditor_id: str | None
    entry: str
    provisions: tuple[Cited, ...]
    fields: tuple[FieldRow, ...]
    live_id: str | None
    """The template's live version (to compare with), when it is another one."""


def version_page(item: Any, live_id: str | None = None) -> VersionPage:
    schema = value(item, "schema")
    fields = value(schema, "fields") if schema is not None else None
    return VersionPage(
        version=version_row(item),
        kind=_name(value(item, "kind")),
        language=_name(value(item, "language")),
        creditor_id=value(item, "creditor_id"),
        entry=str(value(item, "entry") or ""),
        provisions=tuple(_cited(c) for c in value(item, "provisions") or ()),
        fields=tuple(_field(f) for f in fields or ()),
        live_id=live_id if live_id != value(item, "id") else None,
    )


def _cited(item: Any) -> Cited:
    edition = value(item, "edition_from")
    if isinstance(edition, str):
        edition = dt.date.fromisoformat(edition)
    return Cited(str(value(item, "id")), edition)


def _field(item: Any) -> FieldRow:
    name = str(value(item, "name"))
    return FieldRow(
        name=name,
        type=_name(value(item, "type")),
        required=bool(value(item, "required", False)),
        from_request=name.startswith("fields."),
    )


# --- the changed sentence ---------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A part of a paragraph's text; ``changed`` marks a sentence the other side lacks."""

    text: str
    changed: bool


_SENTENCE_END = re.compile(r"(?<=[.!?…:;])\s+")


def sentences(text: str) -> list[str]:
    """A paragraph split after each sentence's end (the spaces stay with the sentence before,
    so joining the pieces gives the text back)."""
    if not text:
        return []
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def marked(before: str, after: str) -> tuple[list[Piece], list[Piece]]:
    """``before`` and ``after`` as sentences, those that differ marked on each side."""
    old, new = sentences(before), sentences(after)
    matcher = difflib.SequenceMatcher(a=[s.strip() for s in old], b=[s.strip() for s in new])
    left: list[Piece] = []
    right: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        same = tag == "equal"
        left += [Piece(s, not same) for s in old[i1:i2]]
        right += [Piece(s, not same) for s in new[j1:j2]]
    return left, right


@dataclass(frozen=True)
class ChangeLine:
    """One changed paragraph, cell, schema field or citation, as the redline shows it."""

    kind: str
    """``added``, ``removed`` or ``changed``."""
    where: str
    before: tuple[Piece, ...]
    after: tuple[Piece, ...]


def change_line(item: Any) -> ChangeLine:
    before = _text(value(item, "before"))
    after = _text(value(item, "after"))
    kind = str(value(item, "kind") or value(item, "change") or "")
    if kind not in ("added", "removed", "changed"):
        kind = "added" if not before else "removed" if not after else "changed"
    left, right = marked(before, after)
    where = value(item, "where") or value(item, "name") or value(item, "id") or ""
    return ChangeLine(kind, str(where), tuple(left), tuple(right))


def change_lines(items: Iterable[Any] | None) -> list[ChangeLine]:
    return [change_line(item) for item in items or ()]


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, Mapping):
        return ", ".join(f"{k}: {v}" for k, v in raw.items() if v not in (None, "", [], {}))
    if isinstance(raw, Sequence):
        return "\n".join(_text(x) for x in raw)
    return str(raw)


# --- the schedule ---------------------------------------------------------------------------


def live_from(entered: str) -> dt.datetime:
    """The moment a lawyer typed in a ``datetime-local`` field (Almaty time, as the pages show
    every moment) as an aware datetime; ``ValidationFailed`` on ``live_from`` otherwise."""
    try:
        moment = dt.datetime.fromisoformat(entered.strip())
    except ValueError:
        raise ValidationFailed(
            [FieldError("live_from", "invalid_datetime", "a date and time: YYYY-MM-DDTHH:MM")]
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ALMATY)


def local_input(moment: dt.datetime) -> str:
    """A moment as a ``datetime-local`` field's value in Almaty time."""
    return moment.astimezone(ALMATY).strftime("%Y-%m-%dT%H:%M")


# --- the redline ----------------------------------------------------------------------------


def located_diff(
    before: Sequence[tuple[str, str]], after: Sequence[tuple[str, str]]
) -> list[dict[str, str | None]]:
    """Two documents' texts by location (Word paragraphs and cells) compared: aligned by text,
    not by number, so an inserted paragraph shows as one addition rather than every later
    paragraph changed. A changed block is named by where it is in the newer version."""
    matcher = difflib.SequenceMatcher(
        a=[t for _, t in before], b=[t for _, t in after], autojunk=False
    )
    out: list[dict[str, str | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for was, now in _paired(before[i1:i2], after[j1:j2]):
            where = (now or was or ("", ""))[0]
            out.append(
                {
                    "where": where,
                    "before": was[1] if was else None,
                    "after": now[1] if now else None,
                }
            )
    return out


Located = tuple[str, str]


def _paired(
    old: Sequence[Located], new: Sequence[Located]
) -> list[tuple[Located | None, Located | None]]:
    """Within a changed stretch, each old block with the first later new block that reads
    mostly alike (an edited paragraph); the rest were added or removed."""
    pairs: list[tuple[Located | None, Located | None]] = []
    start = 0
    for was in old:
        best, best_ratio = None, 0.5
        for k in range(start, len(new)):
            ratio = difflib.SequenceMatcher(a=was[1], b=new[k][1], autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = k, ratio
        if best is None:
            pairs.append((was, None))
            continue
        pairs += [(None, added) for added in new[start:best]]
        pairs.append((was, new[best]))
        start = best + 1
    pairs += [(None, added) for added in new[start:]]
    return pairs


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def unified_changes(name: str, diff: Sequence[str]) -> list[ChangeLine]:
    """A text file's unified diff as one change per hunk: the lines it removed and added, named
    by the file and the first line of the hunk in the newer version."""
    out: list[ChangeLine] = []
    start = 0
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if removed or added:
            out.append(
                change_line(
                    {
                        "where": f"{name}, line {start}",
                        "before": "\n".join(removed) or None,
                        "after": "\n".join(added) or None,
                    }
                )
            )

    for line in diff:
        hunk = _HUNK.match(line)
        if hunk:
            flush()
            start, removed, added = int(hunk.group(1)), [], []
        elif line.startswith(("---", "+++")):
            continue
        elif line.startswith("-"):
            removed.append(line[1:])
        elif line.startswith("+"):
            added.append(line[1:])
    flush()
    return out


def _named_changes(found: Mapping[str, Any] | None) -> list[ChangeLine]:
    """``{"added": [names], "removed": [...], "changed": [...]}`` (schema fields, citations)."""
    out: list[ChangeLine] = []
    for kind, names in (found or {}).items():
        shown = "changed" if kind not in ("added", "removed") else kind
        for name in names or ():
            out.append(
                ChangeLine(
                    shown,
                    str(name),
                    () if shown == "added" else (Piece(str(name), shown == "removed"),),
                    () if shown == "removed" else (Piece(str(name), shown == "added"),),
                )
            )
    return out


@dataclass(frozen=True)
class RedlineView:
    a: str
    b: str
    source: tuple[ChangeLine, ...]
    schema: tuple[ChangeLine, ...]
    citations: tuple[ChangeLine, ...]
    pages: tuple[tuple[bool, bool], ...]
    """For each sample page: whether version ``a`` and version ``b`` have it (the images come
    from their own route)."""
    render_problems: tuple[str, ...] = ()
    """Why a side has no pages (its sample did not render here)."""


def word_changes(found: Mapping[str, Any]) -> list[Any] | None:
    """The Word paragraph and cell changes the engines' redline gives, if it gives them."""
    for key in ("paragraphs", "source", "blocks"):
        if isinstance(found.get(key), list):
            return list(found[key])
    return None


_LISTED = ("added", "removed", "changed", "edition_changed")
"""The schema and citation diffs' kinds of change (``breaking`` repeats added fields)."""


def redline_view(a: str, b: str, found: Mapping[str, Any]) -> RedlineView:
    """tpl-core's redline (``files`` with unified diffs, ``schema``, ``provisions``) and what
    the engines add (Word ``paragraphs``, sample ``pages``, ``render_problems``)."""
    source: list[ChangeLine] = []
    word = word_changes(found)
    if word is not None:
        source += change_lines(word)
    for item in found.get("files") or ():
        name = str(value(item, "name"))
        if word is not None and name.lower().endswith(".docx"):
            continue
        diff = value(item, "diff") or []
        if diff:
            source += unified_changes(name, diff)
        else:  # a binary file, or one added or removed whole
            kind = str(value(item, "change") or "changed")
            source.append(ChangeLine(kind, name, (), ()))
    schema = {k: v for k, v in (found.get("schema") or {}).items() if k in _LISTED}
    citations = found.get("provisions") or found.get("citations") or {}
    return RedlineView(
        a=a,
        b=b,
        source=tuple(source),
        schema=tuple(_named_changes(schema)),
        citations=tuple(_named_changes({k: v for k, v in citations.items() if k in _LISTED})),
        pages=tuple((left is not None, right is not None) for left, right in page_images(found)),
        render_problems=tuple(str(p) for p in found.get("render_problems") or ()),
    )


def page_images(found: Mapping[str, Any]) -> list[tuple[bytes | None, bytes | None]]:
    """The sample pages, each as (version a's PNG, version b's PNG), either missing where that
    version has fewer pages or did not render. Read from ``[{"page", "a", "b"}]`` with data URLs
    (the engines' redline) or ``{"a": [...], "b": [...]}`` of PNG bytes."""
    images = found.get("pages") or []
    if isinstance(images, Mapping):
        left, right = list(images.get("a") or ()), list(images.get("b") or ())
        pairs = [
            (left[i] if i < len(left) else None, right[i] if i < len(right) else None)
            for i in range(max(len(left), len(right)))
        ]
    else:
        pairs = [(value(p, "a"), value(p, "b")) for p in images]
    return [(_png(x), _png(y)) for x, y in pairs]


def _png(image: Any) -> bytes | None:
    if image is None or isinstance(image, bytes):
        return image
    text = str(image)
    return base64.b64decode(text.split(",", 1)[1] if text.startswith("data:") else text)


def page_image(found: Mapping[str, Any], side: str, page: int) -> bytes | None:
    """The PNG of ``page`` (from 1) on side ``a`` or ``b`` of a redline, if it has one."""
    pairs = page_images(found)
    if not 1 <= page <= len(pairs):
        return None
    left, right = pairs[page - 1]
    return left if side == "a" else right
