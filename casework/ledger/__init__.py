"""Ledgers (政府信息公开申请办理台账, XLSX): one row per request, read into the replay model and
applied through `casework.services.replay`, and written back in the same shape.

`columns` defines the ledger's columns; `vocabulary` maps the words clerks write to codes;
`mapping` decides which column of a file feeds which field; `reader` reads a workbook;
`rows` turns a row into a replayable case; `importer` checks and applies a ledger in one
transaction; `exporter` and `workbook` write one.
"""
