"""The evidence pack's use case: reading a case, its documents, deliveries and audit events in
the request's transaction (``service.py``); the layouts are the pure modules one level up."""
