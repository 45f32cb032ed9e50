"""Settings both faces share, read from the environment in one place and one format.

`CHIPTRAIL_BACKEND` (memory | neo4j) and `CHIPTRAIL_DATA`: the YAML files or folders the embedded
store loads, several separated by the system's path separator (`:` on Linux and macOS), like
`PATH`. Unset, it is the bundled `data/` folder. `chiptrail serve`, every other command and the
API read it the same way.

`CHIPTRAIL_HOME`: where a user's own state lives — the ledger of datasets ingested for the embedded
backend (`ledger.sqlite`) and the resolution decisions made with `chiptrail resolve judge`
(`judgements.jsonl`). Unset, `$XDG_DATA_HOME/chiptrail`, else `~/.local/share/chiptrail`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from loaders import BUNDLED_DATA, BUNDLED_JUDGEMENTS

Backend = Literal["memory", "neo4j"]


def default_home() -> Path:
    """$XDG_DATA_HOME/chiptrail, else ~/.local/share/chiptrail."""
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "chiptrail"


class ChiptrailSettings(BaseSettings):
    """Where answers come from: the backend, and the data the embedded backend loads."""

    model_config = SettingsConfigDict(env_prefix="CHIPTRAIL_", extra="ignore")

    backend: Backend = "memory"
    data: Annotated[list[Path], NoDecode] = Field(
        default_factory=lambda: [BUNDLED_DATA],
        description="YAML files or folders for the embedded backend, separated by the path separator.",
    )
    home: Path = Field(default_factory=default_home, description="The user's folder: ingested datasets and judgements.")

    @property
    def user_judgements(self) -> Path:
        return self.home / "judgements.jsonl"

    @property
    def judgement_files(self) -> list[Path]:
        """Bundled judgements first, then the user's: the later line about a pair wins."""
        return [BUNDLED_JUDGEMENTS, self.user_judgements]

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
