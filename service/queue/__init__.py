"""The job queue seam (``base.Queue``) and its adapter on huey (``huey_queue``)."""

from service.queue.base import Consumer, Queue

__all__ = ["Consumer", "Queue"]
