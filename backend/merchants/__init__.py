"""Merchants (tenants) and their API keys."""
