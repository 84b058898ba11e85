"""The jury's arithmetic: pure functions over plain data, no Django, no database.

Importable without settings and tested on worked examples; `jury.reports` and
`jury.selectors` read the rows from the database and hand them over.
"""
