"""Issuing documents: the heart of Talap.

The pipeline, each hop one call with typed input (``service.issue``)::

    request ─► kind (KindSpec) ─► case + debt (pure) ─► history ─► rules (pure)
            ─► DocumentFacts (built once, typed) ─► requirements (every problem at once)
            ─► number ─► view model (present) ─► render ─► sign ─► archive (after commit)
            ─► record + audit event

Pure modules: ``facts`` (DocumentFacts), ``kinds`` (one KindSpec per kind, in a registry),
``parts`` (facts shared by several kinds), ``requirements``, ``snapshot`` (the stored form),
``present`` and ``formats`` (the engine-neutral view model), ``numbering``, ``record``
(verification is ``service.evidence``). Edge files: ``models``, ``schemas``, ``repository``,
``service``, ``endpoints``.
"""
