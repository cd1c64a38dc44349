"""The durable outbox: work that must happen after a commit (send an e-mail, an SMS, a webhook),
written as a row in the same transaction as the change it follows, then run by the job queue.
"""
