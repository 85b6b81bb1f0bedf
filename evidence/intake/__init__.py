"""Listing intake: listings in bulk from a CSV or XLSX file, or from pasted URLs.

``reading`` turns a file into rows of known columns; ``rows`` checks and normalises each row on its own;
``plan`` decides, chunk by chunk against the database, what each row becomes (new, already known, refused)
and, when asked, writes it. The preview and the import are the same walk, so they always agree.
"""
