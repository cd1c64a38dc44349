"""How an issued document reached (or did not reach) the debtor, with proof kept beside it.

The signed PDF is never touched: proof files are archived beside it under their own SHA-256
(research perf.md S2 — any change to a signed PDF shows as "modified after signing").
"""
