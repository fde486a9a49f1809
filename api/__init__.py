"""The HTTP API (DESIGN §6): FastAPI routers as thin doors onto casework's services."""
