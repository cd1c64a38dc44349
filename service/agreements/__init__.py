"""Restructuring agreements and written acknowledgments of the debt.

Pure: ``restructuring`` (the schedule, the lifecycle, payments against it). Edge files:
``models``, ``schemas``, ``repository``, ``service``, ``endpoints``.
"""
