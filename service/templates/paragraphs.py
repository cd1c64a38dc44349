"""Which paragraphs and cells of a Word template changed (pure): the redline's Word view.

Both documents are read as (location, text) blocks in reading order (``rendering.docx
.structure``). The texts are aligned with ``difflib`` — not compared location by location — so a
paragraph inserted near the top shows as one addition, not as every later paragraph «changed»
because its number moved. Within a replaced run of blocks, pairs are «changed» (old and new
text, the new location), the rest «added» or «removed».
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BlockChange:
    where: str
    """The location in the newer version (the older one's for a removal)."""
    change: str
    """``added`` | ``removed`` | ``changed``."""
    before: str | None
    after: str | None
    where_before: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "change": self.change,
            "before": self.before,
            "after": self.after,
            "where_before": self.where_before,
        }


def block_changes(
    old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]
) -> list[BlockChange]:
    """The changes from ``old`` to ``new`` blocks, in the newer document's order."""
    matcher = difflib.SequenceMatcher(
        None, [text for _, text in old], [text for _, text in new], autojunk=False
    )
    changes: list[BlockChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = list(old[i1:i2]), list(new[j1:j2])
        for (where_old, before), (where_new, after) in zip(removed, added, strict=False):
            changes.append(BlockChange(where_new, "changed", before, after, where_old))
        paired = min(len(removed), len(added))
        for where_old, before in removed[paired:]:
            changes.append(BlockChange(where_old, "removed", before, None, where_old))
        for where_new, after in added[paired:]:
            changes.append(BlockChange(where_new, "added", None, after))
    return changes
