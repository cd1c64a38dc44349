"""Where the bundled templates and legal data are: inside the installed package (a wheel maps the
repository's top-level ``templates/`` and ``legal/`` to ``service/template_files`` and
``service/legal``, see ``pyproject.toml``; ``service/templates`` is the template-versions domain),
or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_INSTALLED = {"templates": "template_files"}


def bundled_dir(name: str) -> Path:
    """``templates`` or ``legal``: the installed copy, else the checkout's."""
    installed = PACKAGE / _INSTALLED.get(name, name)
    return installed if installed.is_dir() else PACKAGE.parent / name
