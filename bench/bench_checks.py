"""The template checks (``service.templates.checks.run_checks``) on the bundled Typst versions:
the time of one version's checks read from the sources alone, and with the sample rendered
through the Typst engine (a new version compiles once; the second run reuses its compiler).

    .venv/bin/python -m bench.bench_checks
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from service.bundled import bundled_dir
from service.demo.samples import sample_combinations, sample_facts
from service.documents.present import present
from service.law.loader import load_law
from service.rendering.engines import Recorder, Rendered, SourceBundle
from service.rendering.typst.engine import TypstEngine
from service.templates.checks import CheckInput, run_checks
from service.templates.schema import EMPTY

TODAY = dt.date(2026, 11, 24)


def main() -> None:
    law = load_law(bundled_dir("legal"))
    root = bundled_dir("templates")
    common = {f"common/{p.name}": p.read_bytes() for p in sorted((root / "common").glob("*.typ"))}
    engine = TypstEngine(Path(tempfile.mkdtemp(prefix="bench-checks-")))
    print(f"{'version':<24} {'static':>8} {'render 1st':>11} {'render 2nd':>11} problems")
    for kind, language in sample_combinations():
        entry = f"{language}/{kind}.typ"
        bundle = SourceBundle({**common, entry: (root / entry).read_bytes()}, entry)
        view = present(sample_facts(law, kind, language))
        version_id = f"bench-{kind}-{language}"

        def render(
            sample: Mapping[str, Any],
            recorder: Recorder,
            b: SourceBundle = bundle,
            v: str = version_id,
        ) -> Rendered:
            return engine.render(v, b, sample, created=TODAY, recorder=recorder)

        timings = []
        problems = 0
        for with_render in (False, True, True):
            check = CheckInput(
                bundle,
                "typst",
                language,
                EMPTY,
                (),
                law,
                TODAY,
                view,
                render if with_render else None,
            )
            start = time.perf_counter()
            problems = len(run_checks(check))
            timings.append(time.perf_counter() - start)
        print(
            f"{kind + '/' + language:<24} {timings[0]:>7.2f}s {timings[1]:>10.2f}s "
            f"{timings[2]:>10.2f}s {problems}"
        )


if __name__ == "__main__":
    main()
