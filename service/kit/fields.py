"""Field types of the client contract, shared by every domain's ``schemas.py``, and the one
translation of pydantic's errors into the contract's ``{path, code, message}``.

Payloads are accepted as clients send them (``shared/contract``): extra fields are ignored, names
are never renamed, and every problem is reported at once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from service.errors import FieldError, ValidationFailed
from service.kernel.identifiers import iban_problem, id_number_problem, normalize_iban
from service.kernel.money import parse_amount
from service.kernel.period import Period

ModelT = TypeVar("ModelT", bound=BaseModel)


def _iin(value: str) -> str:
    problem = id_number_problem(value)
    if problem:
        raise PydanticCustomError("iin_checksum", "ИИН {problem}", {"problem": problem})
    return value


def _bin(value: str) -> str:
    problem = id_number_problem(value)
    if problem:
        raise PydanticCustomError("bin_checksum", "БИН {problem}", {"problem": problem})
    return value


def _iban(value: str) -> str:
    problem = iban_problem(value)
    if problem:
        raise PydanticCustomError("iban_invalid", "IBAN {problem}", {"problem": problem})
    return normalize_iban(value)


def _amount(value: Any) -> Decimal:
    if isinstance(value, float):
        raise PydanticCustomError("amount_invalid", "send amounts as decimal strings, not floats")
    try:
        return parse_amount(str(value))
    except ValueError as exc:
        raise PydanticCustomError("amount_invalid", "{reason}", {"reason": str(exc)}) from exc


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise PydanticCustomError("amount_not_positive", "must be greater than zero")
    return value


def _period(value: str) -> str:
    try:
        Period.parse(value)
    except ValueError as exc:
        raise PydanticCustomError("period_invalid", "{reason}", {"reason": str(exc)}) from exc
    return value


Iin = Annotated[str, AfterValidator(_iin)]
Bin = Annotated[str, AfterValidator(_bin)]
Iban = Annotated[str, AfterValidator(_iban)]
Amount = Annotated[Decimal, BeforeValidator(_amount), AfterValidator(_positive)]
PeriodText = Annotated[str, AfterValidator(_period)]
Text = Annotated[str, Field(min_length=1, max_length=500)]
Note = Annotated[str, Field(max_length=2000)]


_BIDI_CONTROLS = frozenset(
    chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
)
"""Bidirectional marks, embeddings, overrides and isolates: invisible, and able to make a text
read otherwise than it is stored («Trojan Source»); no Kazakh or Russian text needs them."""


def _text_problem(value: str, *, lines: bool) -> tuple[str, str] | None:
    """(code, message) for the first character a stored free text must not hold: NUL and the
    other C0/C1 controls (a NUL is refused by PostgreSQL and cuts strings short elsewhere; line
    breaks and tabs only where ``lines``), and the bidirectional controls."""
    for index, char in enumerate(value):
        if char in _BIDI_CONTROLS:
            return "bidi_control", (
                f"contains the bidirectional control U+{ord(char):04X} at position {index}"
            )
        if lines and char in "\n\r\t":
            continue
        if unicodedata.category(char) == "Cc":
            return "control_character", (
                f"contains the control character U+{ord(char):04X} at position {index}"
            )
    return None


def _checked(value: str, *, lines: bool) -> str:
    problem = _text_problem(value, lines=lines)
    if problem:
        raise PydanticCustomError(problem[0], problem[1])
    return value


def _one_line(value: str) -> str:
    return _checked(value, lines=False)


def _lines(value: str) -> str:
    return _checked(value, lines=True)


LineText = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)]
"""A short free text on one line (a name): no control characters, no bidirectional controls."""
NoteText = Annotated[str, Field(min_length=1, max_length=4000), AfterValidator(_lines)]
"""A free text that may run over lines (a note, a request, an answer): no control characters
but line breaks and tabs, no bidirectional controls."""


def _given_text(value: Any) -> Any:
    """One string, or ``{"kk": …, "ru": …}`` with both texts (#18)."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise PydanticCustomError("required", "must not be blank")
        if len(value) > 500:
            raise PydanticCustomError("too_long", "at most 500 characters")
        return value
    if isinstance(value, Mapping):
        texts = {}
        for lang in ("kk", "ru"):
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip() or len(text.strip()) > 500:
                raise PydanticCustomError(
                    "required",
                    "send one text, or both {kk} and {ru} texts (1–500 characters each)",
                    {"kk": "kk", "ru": "ru"},
                )
            texts[lang] = text.strip()
        return texts
    raise PydanticCustomError("invalid_type", "send a text or {kk, ru} texts")


GivenText = Annotated[str | dict[str, str], BeforeValidator(_given_text)]
"""A requisite in one language as given, or in Kazakh and Russian: a Kazakh text prints the
Kazakh form where given, and the one string otherwise."""


IDENTIFIER_MAX = 100


def identifier_problem(value: str) -> tuple[str, str] | None:
    """(code, message) when ``value`` is no identifier: 1–100 characters in NFC, no control,
    format (bidi, zero-width) or line-separator character, no space at either end, not ``.`` or
    ``..``. One syntax for an id in a path and in a body; the message never repeats the value."""
    if not value:
        return "required", "must not be empty"
    if len(value) > IDENTIFIER_MAX:
        return "too_long", f"at most {IDENTIFIER_MAX} characters (got {len(value)})"
    if value in (".", ".."):
        return "invalid_format", "must not be . or .."
    if value != value.strip():
        return "invalid_format", "must not start or end with a space"
    for index, char in enumerate(value):
        if char in _BIDI_CONTROLS:
            return "bidi_control", (
                f"contains the bidirectional control U+{ord(char):04X} at position {index}"
            )
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return "control_character", (
                f"contains the character U+{ord(char):04X} at position {index}, "
                "which an identifier must not hold"
            )
    return None


def _identifier(value: str) -> str:
    value = unicodedata.normalize("NFC", value)
    problem = identifier_problem(value)
    if problem:
        raise PydanticCustomError(problem[0], problem[1])
    return value


Identifier = Annotated[str, AfterValidator(_identifier)]
"""A client's identifier (a case's ``external_id``), NFC-normalised so that the composed and
decomposed spellings of one visible id name one case (``identifier_problem``)."""


EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
"""Dates and periods a request may carry: far wider than any debt, and far enough from year
1 and 9999 that adding a deadline or a month never leaves the calendar (D9)."""


def _query_day(value: Any) -> Any:
    """A day in a query string: ``YYYY-MM-DD`` only (pydantic would read ``0`` as a Unix
    timestamp, 1970-01-01), within ``EARLIEST_DATE``–``LATEST_DATE``."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise PydanticCustomError("invalid_date", "write the day as YYYY-MM-DD")
    return value


def _bounded_day(value: dt.date) -> dt.date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise PydanticCustomError(
            "out_of_range", f"must lie between {EARLIEST_DATE} and {LATEST_DATE}"
        )
    return value


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
QueryDay = Annotated[dt.date, BeforeValidator(_query_day), AfterValidator(_bounded_day)]
"""A day given in a query string (``?on=``, ``?from=``, ``?due_by=``)."""


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every string and date inside a field's value with its path below the field (list
    indexes, dict keys — a key is text too); nested request models check themselves."""
    if isinstance(value, BaseModel):
        return
    if isinstance(value, str | dt.date):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                yield path, key  # a bad key is reported at its mapping, not echoed as a path
            below = f"{path}.{key}" if path else str(key)
            yield from _leaves(item, below)
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}.{index}" if path else str(index))


def _leaf_problem(value: Any) -> tuple[str, str] | None:
    if isinstance(value, str):
        return _text_problem(value, lines=True)
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return "out_of_range", f"must lie between {EARLIEST_DATE} and {LATEST_DATE}"
    return None


class In(BaseModel):
    """A request body as a client sends it: unknown fields ignored, text trimmed, immutable.

    Every text anywhere in a request — each field, list item, mapping key and value — is refused
    when it holds NUL, another C0/C1 control (line breaks and tabs aside: the stricter
    ``LineText`` refuses those) or a bidirectional control (D5, D7): a stored text must print
    as it reads. Every date lies within ``EARLIEST_DATE``–``LATEST_DATE`` (D9). A model whose
    texts are printed on documents sets ``printed = True``: its texts are checked against the
    document fonts when they are stored, not first when a document is issued (D18).
    """

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)

    printed: ClassVar[bool] = False

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any, info: ValidationInfo) -> Any:
        for below, leaf in _leaves(value):
            problem = _leaf_problem(leaf)
            if problem is None and cls.printed and isinstance(leaf, str):
                problem = _glyph_problem(leaf)
            if problem:
                raise PydanticCustomError(problem[0], problem[1], {"field": below})
        return value


class PrintedIn(In):
    """A request part whose texts are printed on documents (a creditor's requisites, a case's
    debtor, unit and protocol): checked against the document fonts when stored (D18)."""

    printed: ClassVar[bool] = True


def _glyph_problem(text: str) -> tuple[str, str] | None:
    # The rendering package reads font files: imported on first use, not with every schema.
    from service.rendering.typst.glyphs import describe, uncovered

    missing = uncovered(text)
    if not missing:
        return None
    chars = ", ".join(describe(c) for c in missing)
    verb = "is" if len(missing) == 1 else "are"
    return "missing_glyph", f"{chars} {verb} not covered by the document fonts"


class Out(BaseModel):
    """A response body: exactly the declared fields."""

    model_config = ConfigDict(frozen=True)


_CODES = {
    "missing": "required",
    "literal_error": "unknown_value",
    "enum": "unknown_value",
    "string_pattern_mismatch": "invalid_format",
    "string_too_short": "required",
    "string_too_long": "too_long",
    "string_type": "invalid_type",
    "date_from_datetime_parsing": "invalid_date",
    "date_parsing": "invalid_date",
    "date_type": "invalid_date",
    "list_type": "invalid_type",
    "model_type": "invalid_type",
    "dict_type": "invalid_type",
    "too_short": "too_short",
    "json_invalid": "invalid_json",
    "int_parsing": "invalid_number",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
}


def field_errors(exc: ValidationError) -> list[FieldError]:
    """Translate pydantic's errors into the contract's ``{path, code, message}`` form."""
    return errors_from(exc.errors(include_url=False))


def errors_from(errors: Sequence[Mapping[str, Any]]) -> list[FieldError]:
    """The same for error dicts as pydantic and FastAPI report them (``loc``, ``type``, ``msg``).

    FastAPI prefixes where the value came from (``body``, ``query``, ``path``, ``header``): body,
    query and path fields are named by their own path (``debtor.iin``, ``segment``); a header
    keeps its source (``header.idempotency-key``), as it is not a field of the request.
    """
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc[:1] in (["body"], ["query"], ["path"]):
            loc = loc[1:]
        if error.get("type") == "json_invalid":
            # FastAPI puts the character offset where a field name belongs: the body is at fault.
            loc = []
        below = (error.get("ctx") or {}).get("field")
        if below:
            # A check of a whole field or model names the part at fault (``charges.3``).
            loc += str(below).split(".")
        code = _CODES.get(str(error.get("type")), str(error.get("type")))
        result.append(
            FieldError(path=".".join(loc) or "body", code=code, message=str(error["msg"]))
        )
    return result


def parse(model: type[ModelT], data: Any) -> ModelT:
    """Validate ``data`` as ``model`` or raise ``ValidationFailed`` listing every problem (the CLI
    and jobs; HTTP bodies are validated by FastAPI with the same translation)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(field_errors(exc)) from None


def load_json(raw: str | bytes, path: str) -> Any:
    """A JSON document a client sent as ``path`` (a body, a multipart field), or a 422
    ``invalid_json`` naming it: malformed, not UTF-8, or nested too deep for the parser
    (a ``RecursionError``, which was a 500, D10). The message never quotes the document."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        reason = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8: byte {exc.start} cannot be decoded"
    except RecursionError:
        reason = "nested too deeply"
    except ValueError:
        reason = "not a JSON document"
    raise ValidationFailed([FieldError(path, "invalid_json", reason)])
