"""Formal notices (告知书): the document each step of a case produces, with its 文号.

Modules, one job each: `kinds` (what notices exist and which step offers which), `numbering`
(文号 patterns and the locked per-agency, per-year sequence), `wording` (legal wording that
depends on the facts: findings per outcome, the remedy), `facts` (the rendering context from
a case's events and clocks), `library` (built-in template versions and agencies' overrides),
`render` (DOCX from a template and a context, byte-for-byte reproducible; the HTML preview),
`pdf` (LibreOffice, where installed), `service` (issue, list, re-render: the one door used by
the CLI and the API). `build_templates` generates the built-in DOCX templates.
"""
