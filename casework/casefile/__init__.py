"""The case file (案卷): one ZIP with the request, every notice, the attachments and the event
history, and a PDF cover list (卷内目录) — what an agency hands to a reconsideration body or a
court."""
