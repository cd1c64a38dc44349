"""A case's complete timeline: ledger, documents, deliveries, agreements, log, rule decisions."""
