"""The package ships what it needs: templates, legal data, fonts and migrations travel inside the
wheel, so a service installed anywhere (the Docker image, a venv) finds them without a checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_of_the_tree_is_listed_for_the_wheel() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "service").rglob("__init__.py")
    }
    assert listed == found | {"service.template_files", "service.legal"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheels = tmp_path_factory.mktemp("wheel")
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
    (wheel,) = wheels.glob("talap-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


def test_an_installed_wheel_finds_its_templates_legal_data_and_fonts(
    installed: Path, tmp_path: Path
) -> None:
    probe = (
        "import json; from service.settings import Settings; "
        "from service.rendering.typst.glyphs import FONTS_DIR; import service; s = Settings(); "
        "print(json.dumps([service.__file__, str(s.templates_dir), str(s.legal_dir), "
        "str(FONTS_DIR)]))"
    )
    env = {**os.environ, "PYTHONPATH": str(installed), "TALAP_DATA_DIR": str(tmp_path)}
    env.pop("TALAP_TEMPLATES_DIR", None)
    env.pop("TALAP_LEGAL_DIR", None)
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    module, templates, legal, fonts = (Path(p) for p in json.loads(out.stdout))
    assert installed in module.parents, "the installed copy, not the checkout"
    assert templates == installed / "service" / "template_files"
    assert (templates / "kk" / "reminder.typ").is_file()
    assert (templates / "common" / "letter.typ").is_file()
    assert (installed / "service" / "templates" / "service.py").is_file(), "the domain ships too"
    assert legal == installed / "service" / "legal"
    assert (legal / "rules" / "ladder.yaml").is_file()
    assert (fonts / "DejaVuSerif.ttf").is_file() and installed in fonts.parents
    versions = installed / "service" / "kit" / "migrations" / "versions"
    assert len(list(versions.glob("0*.py"))) >= 5
    # the public verification page's template (#19)
    assert (installed / "service" / "evidence" / "html" / "verify.html").is_file()
