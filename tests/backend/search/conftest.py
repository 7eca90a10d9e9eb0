"""A real llama.cpp server for the search tests that read queries with an LLM (one per session)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.llm_server import llama_server


@pytest.fixture(scope="session")
def llm_url() -> Iterator[str]:
    """Base URL (`.../v1`) of SmolLM2-135M served by llama_cpp.server on 127.0.0.1."""
    try:
        server = llama_server()
        url = server.__enter__()
    except RuntimeError as exc:
        pytest.fail(f"the query-LLM tests need the `llm` extra: {exc}")
    try:
        yield url
    finally:
        server.__exit__(None, None, None)
