"""The lawyer's workbench: web pages under ``/ui/templates`` to list template versions, upload a
new one and see its checks, compare two versions (redline), preview, approve, schedule and
retire — through the template domain's own service functions (``service.templates.service``),
with the session's ``Principal`` and the same permissions as the API."""
