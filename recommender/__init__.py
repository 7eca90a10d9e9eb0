"""Retrieval: query and document encoding, the Qdrant product index, ranking and reasons."""
