"""Channels that carry a notice to the debtor (adapters, one small interface each, with an
in-memory double beside the real one)."""
