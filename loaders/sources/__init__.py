"""Public datasets users download, each read by one module of the same shape (see `base`)."""

from __future__ import annotations

from loaders.sources.base import Invalid, Mapped, ReadOptions, Row, Skipped, Source, SourceInfo


def registry() -> dict[str, Source]:
    """Every source chiptrail reads, by the name a user types."""
    # Imported here, not at the top: the source modules import `base` from this package.
    from loaders.sources.csl import CSL
    from loaders.sources.epoch_clusters import EPOCH_SUPERCOMPUTERS
    from loaders.sources.epoch_datacenters import EPOCH_DATACENTERS
    from loaders.sources.epoch_hardware import EPOCH_HARDWARE
    from loaders.sources.eto import ETO
    from loaders.sources.gem import GEM
    from loaders.sources.opensanctions import OPENSANCTIONS
    from loaders.sources.wri import WRI

    found: list[Source] = [CSL, OPENSANCTIONS, GEM, WRI, EPOCH_HARDWARE, EPOCH_SUPERCOMPUTERS, EPOCH_DATACENTERS, ETO]
    return {source.info.name: source for source in found}


__all__ = ["Invalid", "Mapped", "ReadOptions", "Row", "Skipped", "Source", "SourceInfo", "registry"]
