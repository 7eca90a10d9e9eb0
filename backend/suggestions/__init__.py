"""Listing auto-tagging: suggested category, tags and colour for bare products, merchant-approved."""
