"""Merchant catalogs: product CRUD, file imports, image fetching and ingestion into the index."""
