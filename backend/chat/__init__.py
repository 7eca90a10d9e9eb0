"""Grounded chat: retrieve candidates, explain them, stream the answer, store the turn."""
