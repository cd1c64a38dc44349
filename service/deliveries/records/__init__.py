"""The API's use cases on delivery attempts (``service.py``)."""
