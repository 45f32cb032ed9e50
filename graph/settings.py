"""Typed settings for the Neo4j backend, read once from the environment (NEO4J_*)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ontology.errors import ConfigurationError

PLACEHOLDER_PASSWORD = "change-me"  # noqa: S105 - the value we refuse, not a secret


class Neo4jSettings(BaseSettings):
    """Where the Neo4j backend is and how to write to it. Environment: NEO4J_URI, NEO4J_USERNAME, …"""

    model_config = SettingsConfigDict(env_prefix="NEO4J_", extra="ignore")

    uri: str = "bolt://127.0.0.1:7687"
    username: str = "neo4j"
    password: SecretStr = SecretStr(PLACEHOLDER_PASSWORD)
    database: str = "neo4j"
    batch_size: int = Field(default=5000, ge=1, le=100_000)
    write_sessions: int = Field(default=2, ge=1, le=8, description="sessions writing relationship batches at once")
    # Reads fail fast when the server does not answer; writes ride out a restart.
    connect_timeout: float = Field(default=1.0, gt=0, description="seconds to open a connection for a read or probe")
    probe_after: float = Field(default=0.5, gt=0, description="a read still unanswered then probes the server")
    read_timeout: float = Field(default=30.0, gt=0, description="the longest a read runs (server-side timeout)")
    write_retry_time: float = Field(default=30.0, ge=0, description="how long a batch retries transient errors")

    def checked_password(self) -> str:
        """The password, refusing the placeholder: a database must never run on a known password."""
        value = self.password.get_secret_value()
        if value == PLACEHOLDER_PASSWORD or len(value) < 8:
            raise ConfigurationError(
                "set NEO4J_PASSWORD to a password of at least 8 characters (the placeholder is refused)"
            )
        return value
