"""Template versions: the content hash of a kind's entry file and the shared blocks."""

from __future__ import annotations

import hashlib
from pathlib import Path


def template_version(templates_dir: Path, kind: str, language: str) -> str:
    """``kind/language@<hash>``: the content hash of the template and its shared blocks."""
    digest = hashlib.sha256()
    main = templates_dir / language / f"{kind}.typ"
    for path in [main, *sorted((templates_dir / "common").glob("*.typ"))]:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"{kind}/{language}@{digest.hexdigest()[:12]}"
