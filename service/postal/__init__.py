"""Registered post, courier and hand delivery in bulk: a numbered list of the letters handed to
the post office (реестр почтовых отправлений / тапсырыс хаттар тізілімі) or to a courier or
delivered by hand, with one delivery attempt per letter, as a PDF/A (Typst) and an XLSX; and
the return receipt attached later by the letter's tracking number."""
