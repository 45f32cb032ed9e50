"""Typed settings for the HTTP API, in one place (CHIPTRAIL_* environment variables)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    """What the API serves from and the bounds it enforces. Neo4j itself is configured by NEO4J_*."""

    model_config = SettingsConfigDict(env_prefix="CHIPTRAIL_", extra="ignore")

    backend: Literal["memory", "neo4j"] = "memory"
    data: list[Path] = Field(default_factory=list, description="YAML for the memory backend (default: data/).")
    api_key: SecretStr | None = Field(default=None, description="Enables POST /v1/cypher for callers sending it.")
    cors_origins: list[str] = Field(default_factory=list, description="Allowed origins; none by default.")
    max_depth: int = Field(default=3, ge=1, le=5)
    max_limit: int = Field(default=1000, ge=1, le=100_000)
    export_max_nodes: int = Field(default=5000, ge=1, le=1_000_000)
    cypher_timeout_s: float = Field(default=10.0, gt=0, le=300)
    cypher_row_limit: int = Field(default=1000, ge=1, le=100_000)

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
