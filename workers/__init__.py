"""Celery app and tasks: thin doors onto casework services (the timers issue fills this in)."""
