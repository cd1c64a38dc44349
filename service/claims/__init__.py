"""What a creditor may claim today through a notary or a court, item by item, with reasons.

Pure: ``claim`` (the law: the gate, the 3-year limit, penalty only with an acknowledgment).
Edge files: ``schemas``, ``service``, ``endpoints``.
"""
