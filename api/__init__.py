"""FastAPI app: thin doors onto casework services (the API issue fills this in)."""
