"""The law as data: provisions with dated editions, the working-day calendar, penalty rates.

Pure: ``provisions``, ``context`` (``LawContext``). Edge files: ``loader`` (``legal/`` YAML),
``schemas``, ``service``, ``endpoints`` (``/v1/provisions``).
"""
