"""Typed settings for the HTTP API (CHIPTRAIL_* environment variables), on top of the shared ones."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr, field_validator

from api.settings import ChiptrailSettings


class ApiSettings(ChiptrailSettings):
    """What the API serves from (backend, data: `api.settings`) and the bounds it enforces.
    Neo4j itself is configured by NEO4J_*."""

    api_key: SecretStr | None = Field(default=None, description="Enables POST /v1/cypher for callers sending it.")
    cors_origins: list[str] = Field(default_factory=list, description="Allowed origins; none by default.")
    browser_port: int = Field(
        default=7474, ge=1, le=65535, description="HTTP port of the Neo4j Browser allowed to fetch /browser/*."
    )
    max_depth: int = Field(default=3, ge=1, le=5)
    max_limit: int = Field(default=1000, ge=1, le=100_000)
    export_max_nodes: int = Field(default=5000, ge=1, le=1_000_000)
    cypher_timeout_s: float = Field(default=10.0, gt=0, le=300)
    cypher_row_limit: int = Field(default=1000, ge=1, le=100_000)
    prepare_search: bool = Field(
        default=True,
        description="At start, build the table of names typo search reads, in the background (a store "
        "the app opens itself only).",
    )

    @field_validator("api_key", mode="before")
    @classmethod
    def _key(cls, value: object) -> object:
        """An empty key means 'off'; a short one is refused (it would be guessable)."""
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if text is None or text == "":
            return None
        if not isinstance(text, str) or len(text) < 16:
            raise ValueError("CHIPTRAIL_API_KEY must be at least 16 characters")
        return value


@lru_cache
def get_settings() -> ApiSettings:
    """Settings read once; tests override this dependency instead of mutating globals."""
    return ApiSettings()
