"""Aisle's HTTP edge: FastAPI app, settings, database, chat orchestration and the CLI."""
