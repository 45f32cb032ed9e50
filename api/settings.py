"""Settings both faces share, read from the environment in one place and one format.

`CHIPTRAIL_BACKEND` (memory | neo4j) and `CHIPTRAIL_DATA`: the YAML files or folders the embedded
store loads, several separated by the system's path separator (`:` on Linux and macOS), like
`PATH`. Unset, it is the bundled `data/` folder. `chiptrail serve`, every other command and the
API read it the same way.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from loaders import BUNDLED_DATA

Backend = Literal["memory", "neo4j"]


class ChiptrailSettings(BaseSettings):
    """Where answers come from: the backend, and the data the embedded backend loads."""

    model_config = SettingsConfigDict(env_prefix="CHIPTRAIL_", extra="ignore")

    backend: Backend = "memory"
    data: Annotated[list[Path], NoDecode] = Field(
        default_factory=lambda: [BUNDLED_DATA],
        description="YAML files or folders for the embedded backend, separated by the path separator.",
    )

    @field_validator("data", mode="before")
    @classmethod
    def _paths(cls, value: object) -> object:
        """`a:b` (the path separator) -> [a, b]; empty or unset -> the bundled data."""
        if isinstance(value, str):
            parts = [part for part in value.split(os.pathsep) if part.strip()]
            return parts or [BUNDLED_DATA]
        return value or [BUNDLED_DATA]


@lru_cache
def shared_settings() -> ChiptrailSettings:
    """The shared settings, read once per process."""
    return ChiptrailSettings()
