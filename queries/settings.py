"""Choices of method the answers depend on, as settings (CHIPTRAIL_* environment variables), not code.

`CHIPTRAIL_REFERENCE_CHIP`: the chip model exposure counts H100-equivalents against (default the
NVIDIA H100 SXM, `chip-nvidia-h100-sxm`). `CHIPTRAIL_DEFAULT_LIST`: the list a what-if listing
joins when it names none (default the BIS Entity List, `list-bis-entity-list`).
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class QuerySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHIPTRAIL_", extra="ignore")

    reference_chip: str = Field(default="chip-nvidia-h100-sxm", min_length=1)
    default_list: str = Field(default="list-bis-entity-list", min_length=1)


@lru_cache
def query_settings() -> QuerySettings:
    """Read once per process."""
    return QuerySettings()
