"""Bulk issuing (contract C5): ``issue_many(db, ports, caller, items, progress=None)``.

``outcomes`` holds what it is given and answers (pure); ``service`` issues the items in groups.
"""

from service.documents.bulk.outcomes import BulkItem, ItemOutcome, Status
from service.documents.bulk.service import GROUP, WORKERS, issue_many

__all__ = ["GROUP", "WORKERS", "BulkItem", "ItemOutcome", "Status", "issue_many"]
