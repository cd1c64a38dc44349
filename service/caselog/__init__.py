"""The case log: calls, visits, promises to pay, hardship notes, the debtor's requests and the
answers given — each with its author and the time it was recorded (``POST``/``GET
/v1/cases/{id}/log``). Promises are judged kept or broken from the case's payments alone
(``promises.py``); segmentation reads open hardship notes and broken promises."""
