"""Campaigns: a creditor's standing order to prepare one kind of notice for a segment of its
cases, on demand or monthly, which a person approves before anything is issued or sent.

Pure: ``definition`` (filters, language rule, schedule, digests), ``progress``. Edge files:
``models``, ``repository``, ``schemas``, ``service``, ``tasks`` (the job-queue work),
``endpoints``, ``commands`` (``talap campaign``).
"""
