"""The tamper-evident log: every state change appends an event to its creditor's hash chain.

``chain`` (pure) hashes and re-checks a chain; ``events`` are the typed events; ``service.record``
appends one inside the caller's transaction, last in the lock order (``service.kit.db``).
"""
