"""Retention of personal data: periods as data, legal holds, anonymisation after retention."""
