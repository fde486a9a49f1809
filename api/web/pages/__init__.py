"""The pages of the web UI, one module per area; each route is a thin door onto the services
the API uses."""
