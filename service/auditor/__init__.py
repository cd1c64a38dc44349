"""The auditor's pages under ``/ui/`` (issue 11 scope 6): case search, the case timeline, each
document with its verification and delivery proofs, downloads (PDF, proofs, evidence pack,
outgoing registry). They read through the API's own service functions with the session's
``Principal``: an auditor reads and exports, and nothing here changes anything."""
