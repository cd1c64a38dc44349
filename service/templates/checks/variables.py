"""Declared fields against what the template reads (pure).

The rule, so that a schema states exactly what a version needs:

- a read of ``fields.…`` (the issue request's fields) must be declared in the schema
  (``undeclared_field``): the request cannot supply what the schema does not ask for;
- any other read must be something Talap provides — present in the sample view, or under a part
  the sample leaves ``None`` — or be declared (``unknown_variable``: a typo such as
  ``t.creditor.nmae`` prints nothing);
- the kk and ru versions of one template ask the request for the same ``fields.…``
  (``sibling_fields_differ``);
- a declared name must be something Talap provides or a ``fields.…`` name
  (``unknown_variable``), and must be read somewhere, statically or by the recording render
  (``unused_field``).

A version with no schema (the bundled ones) therefore passes when it reads only what Talap
provides. Reads are compared after ``normalise`` (``kk.x`` → ``t.x``); a read of a name is a read
of everything declared under it only for a Typst read through a name of its own
(``Read.covers_below``) — a recording render records every step, so there it would hide nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from service.templates.checks.paths import Read, ViewShape, normalise
from service.templates.checks.problem import Problem, SchemaLike

REQUEST = "fields"
# Names Jinja itself provides: never a read of the view.
JINJA_NAMES = frozenset(
    {
        "range",
        "dict",
        "lipsum",
        "cycler",
        "joiner",
        "namespace",
        "loop",
        "self",
        "super",
        "caller",
        "varargs",
        "kwargs",
        "true",
        "false",
        "none",
        "True",
        "False",
        "None",
    }
)


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".")


def compare(
    reads: Iterable[Read], declared: Sequence[str], shape: ViewShape | None
) -> list[Problem]:
    problems: list[Problem] = []
    normalised = [
        Read(normalise(r.path), r.file, r.line, r.where, r.covers_below, r.recorded)
        for r in reads
        if r.path and r.path.split(".")[0] not in JINJA_NAMES
    ]
    # Used, not declared: one problem per path, at its first static location.
    seen: dict[str, Read] = {}
    for read in sorted(normalised, key=lambda r: (r.recorded, r.file or "", r.line or 0)):
        seen.setdefault(read.path, read)
    for path, read in seen.items():
        if path in ("t", REQUEST, "text"):
            continue
        is_declared = any(_under(path, d) or _under(d, path) for d in declared)
        how = "the recording render over the sample read" if read.recorded else "reads"
        if _under(path, REQUEST):
            if not any(_under(path, d) for d in declared if _under(d, REQUEST)):
                problems.append(
                    Problem(
                        "undeclared_field",
                        f"{how} {path}, which the schema does not declare: the issue request "
                        "cannot supply it",
                        file=read.file,
                        line=read.line,
                        where=read.where,
                    )
                )
        elif not is_declared and shape is not None and not shape.provides(path):
            problems.append(
                Problem(
                    "unknown_variable",
                    f"{how} {path}: not declared in the schema and not provided by Talap "
                    "(a misspelt name prints nothing)",
                    file=read.file,
                    line=read.line,
                    where=read.where,
                )
            )
    # Declared: provided (or from the request) and read.
    for name in declared:
        if not _under(name, REQUEST) and shape is not None and not shape.provides(name):
            problems.append(
                Problem(
                    "unknown_variable",
                    f"the schema declares {name}, which Talap does not provide; a field the "
                    "issue request supplies is named fields.<name>",
                )
            )
        if not any(
            _under(r.path, name) or (r.covers_below and _under(name, r.path)) for r in normalised
        ):
            problems.append(
                Problem(
                    "unused_field", f"the schema declares {name}, which the template never reads"
                )
            )
    return problems


def request_fields(schema: SchemaLike) -> dict[str, str]:
    """The fields the issue request supplies (``fields.…``, a table's columns under it), each as
    ``type`` or ``type, required``: what a caller must send whatever the language."""
    out = {}
    for spec in schema.fields:
        if not _under(spec.name, REQUEST):
            continue
        out[spec.name] = spec.type + (", required" if spec.required else "")
        for column in spec.columns:
            out[f"{spec.name}.{column.name}"] = column.type + (
                ", required" if column.required else ""
            )
    return out


def sibling_difference(
    language: str, schema: SchemaLike, sibling_language: str, sibling: SchemaLike
) -> list[Problem]:
    """The request fields one language's version declares and the other's does not, or declares
    otherwise (kk ↔ ru): a caller sends the same ``fields`` whatever the document's language.
    What Talap provides may differ by language (a Kazakh date reads ``t.as_of_attributive``, a
    Russian one ``t.as_of_words``), so only ``fields.…`` are compared."""
    mine, theirs = request_fields(schema), request_fields(sibling)
    problems = []
    for name in sorted(set(mine) | set(theirs)):
        if name not in theirs:
            message = (
                f"{name} is declared by the {language} version, not by the {sibling_language} one"
            )
        elif name not in mine:
            message = (
                f"{name} is declared by the {sibling_language} version, not by the {language} one"
            )
        elif mine[name] != theirs[name]:
            message = (
                f"{name} is {mine[name]} in the {language} version but {theirs[name]} in the "
                f"{sibling_language} one"
            )
        else:
            continue
        problems.append(Problem("sibling_fields_differ", message))
    return problems
