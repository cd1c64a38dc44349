"""E-mail delivery: the sender of ``POST …/deliveries {"channel": "email"}``, the outbox handler
that sends the signed PDF over SMTP, and the bounces (DSN) that come back to the return path."""
