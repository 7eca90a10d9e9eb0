"""Shopper photos: upload, storage, retention, and analysis jobs on the vision queue."""
