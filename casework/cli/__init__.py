"""The `casework` command line: typer groups, thin doors onto the services."""
