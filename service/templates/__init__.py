"""Template versions as data (issue 9): a template is a document kind in a language, shared or
one creditor's own; a version is its immutable sources (the archive object named by their
SHA-256), engine, field schema, cited provisions and changelog, approved by a second lawyer and
live from a date. Issuing renders each document with the version live at its issue moment
(``service.pick``) and records the version's id."""
