"""Files attached to a case (issue 6): the allow-list of types and how each is recognised by
its content (`types`, `sniff`), file names (`names`), the virus-scan hook (`scan`) and the
content-addressed store on disk (`store`). No database here: `casework.services.attachments`
records what was kept."""
