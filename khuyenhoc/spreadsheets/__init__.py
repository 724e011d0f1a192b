"""The spreadsheet engine shared by every Excel import and export of the portal.

See docs/architecture.md ("Spreadsheets"). An import is a SheetImport subclass declaring its
columns; each app keeps a concrete job model built on AbstractImportJob.
"""
