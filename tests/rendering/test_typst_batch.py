"""Many notices in one Typst compile, split into one PDF/A per notice (``TypstEngine.render_many``).

Each part must read exactly as the same notice rendered alone (its own page count in the footer,
its own debtor), claim PDF/A-2b with metadata that is true of the part, and sign and verify like
any document. A version without a batch entry, and a view the fonts cannot print, fall back to
one compile a view without failing the others.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from service.documents.present import present
from service.errors import RenderingFailed
from service.kernel.period import Period
from service.law.context import LawContext
from service.rendering.engines import EngineRegistry, Rendered, SourceBundle, render_many
from service.rendering.typst.engine import TypstEngine
from service.rendering.typst.split import split_notices
from service.signing import Pkcs12Signer
from tests.conftest import TEMPLATES
from tests.pdftext import pages_text
from tests.rendering.pdfa import fonts_without_file, pdfa_part
from tests.samples import sample_case, sample_facts, with_debtor

CREATED = dt.date(2026, 11, 24)


def bundled(kind: str, language: str) -> SourceBundle:
    root = Path(TEMPLATES)
    files = {f"common/{p.name}": p.read_bytes() for p in sorted((root / "common").glob("*.typ"))}
    entry = f"{language}/{kind}.typ"
    files[entry] = (root / entry).read_bytes()
    return SourceBundle(files, entry)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> TypstEngine:
    return TypstEngine(tmp_path_factory.mktemp("template-cache"))


def views(law: LawContext, language: str, months: list[int]) -> list[dict[str, Any]]:
    """One reminder per entry, each with its own debtor, number and length in months (a longer
    debt table: more pages)."""
    out = []
    for i, count in enumerate(months):
        case = with_debtor(
            sample_case(months=count, first=Period(2024, 1)), full_name=f"Нұрғалиев Ерлан №{i}"
        )
        facts = sample_facts(law, "reminder", language, case=case)
        assert facts.issuance is not None
        number = f"2026-{i + 101:05d}"
        facts = dataclasses.replace(
            facts, issuance=dataclasses.replace(facts.issuance, number=number)
        )
        out.append(present(facts))
    return out


def xmp(pdf: bytes) -> str:
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    text: str = root["/Metadata"].get_object().get_data().decode()
    return text


@pytest.mark.parametrize("language", ["ru", "kk", "bilingual"])
def test_each_part_reads_as_the_notice_alone(
    engine: TypstEngine, law: LawContext, language: str
) -> None:
    bundle = bundled("reminder", language)
    batch = views(law, language, [3, 30, 8, 3])
    parts = engine.render_many("batch-" + language, bundle, batch, created=CREATED)
    assert all(isinstance(p, Rendered) for p in parts)
    assert "batch-" + language not in engine._single_only  # laid out together, not one by one
    for view, part in zip(batch, parts, strict=True):
        assert isinstance(part, Rendered)
        alone = engine.render("alone-" + language, bundle, view, created=CREATED).pdf
        assert pages_text(part.pdf) == pages_text(alone)
    lengths = [len(pages_text(p.pdf)) for p in parts if isinstance(p, Rendered)]
    assert lengths[1] > lengths[0] == lengths[3]  # the long debt table runs over more pages
    first = pages_text(parts[1].pdf) if isinstance(parts[1], Rendered) else ()
    assert "Нұрғалиев Ерлан №1" in first[0] and "№0" not in "".join(first)
    n = lengths[1]
    footers = {"ru": [f"стр. {n} из {n}"], "kk": [f"бет {n} / {n}"]}
    footers["bilingual"] = footers["kk"] + footers["ru"]
    # its own page count, not the compile's
    assert all(footer in first[-1] for footer in footers[language])


def test_a_part_is_pdfa_with_metadata_true_of_itself(engine: TypstEngine, law: LawContext) -> None:
    bundle = bundled("reminder", "ru")
    parts = engine.render_many("meta", bundle, views(law, "ru", [3, 20, 3]), created=CREATED)
    pdfs = [p.pdf for p in parts if isinstance(p, Rendered)]
    assert len(pdfs) == 3
    for pdf in pdfs:
        reader = PdfReader(io.BytesIO(pdf))
        root = reader.trailer["/Root"]
        assert pdfa_part(pdf) == "2" and fonts_without_file(pdf) == []
        assert "/OutputIntents" in root and root["/Lang"] == "ru"
        assert "/StructTreeRoot" not in root and "/PageLabels" not in root
        metadata = xmp(pdf)
        assert f"<xmpTPg:NPages>{len(reader.pages)}</xmpTPg:NPages>" in metadata
        info = reader.metadata
        assert info is not None and "/Producer" not in info
        assert f">{info['/Title']}<" in metadata and f">{info['/Author']}<" in metadata
        ids = [
            i.original_bytes if hasattr(i, "original_bytes") else bytes(i)
            for i in reader.trailer["/ID"]
        ]
        document = re.search(r"<xmpMM:DocumentID>([^<]+)<", metadata)
        instance = re.search(r"<xmpMM:InstanceID>([^<]+)<", metadata)
        assert document and instance
        assert ids == [base64.b64decode(document[1]), base64.b64decode(instance[1])]
    instances = {re.search(r"<xmpMM:InstanceID>([^<]+)<", xmp(pdf))[1] for pdf in pdfs}  # type: ignore[index]
    assert len(instances) == 3  # every part its own ids


def test_a_part_signs_and_verifies(
    engine: TypstEngine, law: LawContext, signer: Pkcs12Signer
) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    parts = engine.render_many(
        "sign", bundled("reminder", "kk"), views(law, "kk", [3, 3]), created=CREATED
    )
    assert isinstance(parts[1], Rendered)
    signed = signer.sign(parts[1].pdf, reason="reminder № 2026-00102", location="Kazakhstan")
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(signature)
    assert status.intact and status.valid and status.coverage.name == "ENTIRE_FILE"


def test_a_version_without_a_batch_entry_renders_each_alone(
    engine: TypstEngine, law: LawContext
) -> None:
    old = bundled("reminder", "ru")
    # the template as it was before batches: it reads only sys.inputs.data
    document = old.files["common/document.typ"].decode()
    document = re.sub(
        r"#let single\(lang, spec\) = .*",
        "#let single(lang, spec) = _document(load-data(), (lang,), spec)",
        document,
    )
    bundle = SourceBundle({**old.files, "common/document.typ": document.encode()}, old.entry)
    batch = views(law, "ru", [3, 3, 3])
    parts = engine.render_many("no-batch", bundle, batch, created=CREATED)
    assert all(isinstance(p, Rendered) for p in parts)
    assert "no-batch" in engine._single_only  # the next batch goes one by one at once
    names = ["№0", "№1", "№2"]
    for name, part in zip(names, parts, strict=True):
        assert isinstance(part, Rendered) and name in pages_text(part.pdf)[0]


def test_a_view_the_fonts_cannot_print_fails_alone(engine: TypstEngine, law: LawContext) -> None:
    batch = views(law, "ru", [3, 3, 3])
    batch[1] = {**batch[1], "text": {**batch[1]["text"]}}
    batch[1]["text"]["ru"] = {**batch[1]["text"]["ru"], "number": "2026-𝔘"}
    parts = engine.render_many("glyph", bundled("reminder", "ru"), batch, created=CREATED)
    assert isinstance(parts[0], Rendered) and isinstance(parts[2], Rendered)
    assert isinstance(parts[1], RenderingFailed)
    assert "№2" in pages_text(parts[2].pdf)[0]


def test_the_registry_bounds_each_part(law: LawContext, tmp_path: Path) -> None:
    from service.rendering.bounds import RenderBounds

    registry = EngineRegistry([TypstEngine(tmp_path)], RenderBounds(max_pages=3))
    batch = views(law, "ru", [3, 40, 3])
    parts = render_many(
        registry.get("typst"), "bounded", bundled("reminder", "ru"), batch, created=CREATED
    )
    assert isinstance(parts[0], Rendered) and isinstance(parts[2], Rendered)
    assert isinstance(parts[1], RenderingFailed)
    assert parts[1].errors[0].code == "too_many_pages"


def test_ends_that_do_not_cut_the_compile_into_its_notices_are_refused(
    engine: TypstEngine, law: LawContext
) -> None:
    (alone,) = engine.render_many(
        "ends", bundled("reminder", "ru"), views(law, "ru", [30]), created=CREATED
    )
    assert isinstance(alone, Rendered)
    pages = len(pages_text(alone.pdf))
    assert pages >= 3
    assert len(split_notices(alone.pdf, [1, pages], 2)) == 2
    for ends in ([pages], [1, pages - 1], [2, 1, pages], [1, 1, pages], [0, pages]):
        with pytest.raises(RenderingFailed, match="has notice ends"):
            split_notices(alone.pdf, ends, 2 if len(ends) != 3 else 3)
