"""The shared web kit for the server-rendered pages under ``/ui/`` (auditors now, lawyers later).

- ``service.py``: log in with an API key → a server-side session (the row keeps the key's id,
  never the key; the cookie carries a random id whose SHA-256 is the row's key), logout, expiry;
- ``pages.py``: the session as a ``Principal`` (the API's roles and permissions, unchanged),
  the CSRF token of every form, ``Renderer.render`` (Jinja2, autoescape, base layout in Kazakh
  and Russian), the security headers of every ``/ui/`` answer, HTML errors;
- ``endpoints.py``: ``/ui/login``, ``/ui/logout``, the language switch, the stylesheet;
- pure: ``redirects.py`` (only local ``/ui/`` paths are followed), ``language.py`` (kk default,
  or the browser's ``Accept-Language``, or the switch), ``labels.py`` (the kit's texts).
"""
