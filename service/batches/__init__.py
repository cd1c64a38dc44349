"""Batches: many notices issued in one request or from one 1C-style export, through the job
queue (``outbox`` chunks any ``talap worker`` may take), each item issued once, ever."""
