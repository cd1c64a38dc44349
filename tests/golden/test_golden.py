"""Golden images: every sample page, rendered to PNG, compared with a committed reference.

The samples are built by the real facts builder from the demo case (``service.demo.samples``):
the pages show what issuing produces.

A layout regression (a moved block, a table that overflows, a lost line) changes many pixels; a
sub-pixel shift of anti-aliasing does not. So a page passes when the mean absolute difference is
under 1 % of full scale AND under 0.5 % of its pixels differ by more than a quarter of full scale.

Regenerate the references after an intended change, then look at them before committing:

    TALAP_UPDATE_GOLDEN=1 .venv/bin/pytest tests/golden

Pages are grayscale at 72 dpi (scale 1.0): small files, enough to see a layout break.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat

from service.demo.samples import sample_combinations
from service.law.context import LawContext
from service.rendering.typst import TypstRenderer
from tests.samples import render, sample_facts

REFERENCE = Path(__file__).resolve().parent / "reference"
UPDATE = os.environ.get("TALAP_UPDATE_GOLDEN") == "1"
SCALE = 1.0
MAX_MEAN = 0.01 * 255
MAX_CHANGED = 0.005
CHANGED_LEVEL = 64


def page_images(pdf: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    return [page.render(scale=SCALE, grayscale=True).to_pil().convert("L") for page in document]


def difference(actual: Image.Image, expected: Image.Image) -> tuple[float, float]:
    """(mean absolute difference in levels, share of pixels off by more than CHANGED_LEVEL)."""
    diff = ImageChops.difference(actual, expected)
    mean = ImageStat.Stat(diff).mean[0]
    histogram = diff.histogram()
    changed = sum(histogram[CHANGED_LEVEL + 1 :]) / (diff.width * diff.height)
    return mean, changed


@pytest.mark.parametrize(("kind", "language"), sample_combinations())
def test_sample_pages_match_the_references(
    renderer: TypstRenderer, law: LawContext, kind: str, language: str
) -> None:
    pages = page_images(render(renderer, sample_facts(law, kind, language)))
    stem = f"{kind}-{language}"
    if UPDATE:
        for old in REFERENCE.glob(f"{stem}-p*.png"):
            old.unlink()
        REFERENCE.mkdir(parents=True, exist_ok=True)
        for number, image in enumerate(pages, 1):
            image.save(REFERENCE / f"{stem}-p{number}.png", optimize=True)
        return
    references = sorted(
        REFERENCE.glob(f"{stem}-p*.png"), key=lambda p: int(p.stem.rsplit("p", 1)[1])
    )
    assert references, f"no reference images for {stem}: run with TALAP_UPDATE_GOLDEN=1"
    assert len(pages) == len(references), (
        f"{stem}: {len(pages)} pages, reference has {len(references)}"
    )
    for image, path in zip(pages, references, strict=True):
        expected = Image.open(path).convert("L")
        assert image.size == expected.size, path.name
        mean, changed = difference(image, expected)
        if mean >= MAX_MEAN or changed >= MAX_CHANGED:
            out = Path(os.environ.get("TALAP_GOLDEN_DIFF", "/tmp/talap-golden-diff"))
            out.mkdir(parents=True, exist_ok=True)
            image.save(out / path.name)
            ImageChops.difference(image, expected).save(out / f"diff-{path.name}")
            pytest.fail(
                f"{path.name}: mean difference {mean:.2f} levels, {changed:.2%} pixels changed; "
                f"actual and diff images in {out}"
            )


def test_references_stay_small() -> None:
    total = sum(p.stat().st_size for p in REFERENCE.glob("*.png"))
    assert total < 3 * 1024 * 1024, f"{total / 1024:.0f} KiB of reference images"


def test_difference_catches_a_moved_block() -> None:
    page = Image.new("L", (595, 842), 255)
    moved = page.copy()
    page.paste(0, (60, 100, 540, 140))
    moved.paste(0, (60, 130, 540, 170))
    mean, changed = difference(page, moved)
    assert mean >= MAX_MEAN or changed >= MAX_CHANGED
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    same = Image.open(io.BytesIO(buffer.getvalue()))
    assert difference(page, same) == (0.0, 0.0)
