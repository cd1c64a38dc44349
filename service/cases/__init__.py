"""Debt cases: one debtor and unit at one creditor, with charges, payments and the computed debt.

Pure modules: ``case`` (the case as typed data), ``debt`` (arrears, the two-month gate),
``penalty`` (пеня, apart from principal). Edge files: ``models``, ``schemas``, ``repository``,
``service``, ``endpoints``.
"""
