"""Shopper search: hybrid retrieval with filters, results with reasons."""
