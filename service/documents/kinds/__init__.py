"""Document kinds: one ``KindSpec`` per kind (``spec``), collected in a ``KindRegistry``.

A kind says everything the pipeline needs to know about it: the languages it is issued in, the
provisions its text cites (per route for a pre-court letter), the facts it must carry, the parts
it adds to the common facts, and what it checks in the request. Adding a kind is one module with
its spec, plus its template files (``templates/{language}/{kind}.typ``); the registry the service
runs with is built in the composition root (``service.bootstrap``).
"""

from __future__ import annotations

from service.documents.kinds import pretrial, reminder, restructuring, statement, warning
from service.documents.kinds.spec import FactsContext, KindRegistry, KindSpec


def default_kinds() -> KindRegistry:
    """The default ladder: reminder → warning → restructuring agreement → pre-court letter; and
    the statement of the debt and the steps taken, issued on request outside the ladder."""
    return KindRegistry(
        [reminder.SPEC, warning.SPEC, restructuring.SPEC, pretrial.SPEC, statement.SPEC]
    )


__all__ = ["FactsContext", "KindRegistry", "KindSpec", "default_kinds"]
