"""Evidence: re-checking issued documents (hash, signature, audit chain) for auditors, notaries
and courts, and reading any PDF someone holds against the records.

Pure: ``checks`` (what a verification finds). Edge files: ``schemas``, ``service``, ``endpoints``.
"""
