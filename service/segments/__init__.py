"""Segments of cases (new, temporary, chronic, in agreement, clear) and the next lawful step.

Pure: ``segments``. Edge files: ``schemas``, ``service``, ``endpoints`` (the work list).
"""
