"""Webhooks to a creditor's own systems: endpoints it registers, events Talap announces to them
(``document.issued``, ``delivery.outcome_changed``, ``agreement.defaulted``), each delivery
HMAC-signed, retried from the outbox with backoff, every attempt logged and listed."""
