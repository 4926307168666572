"""Observable source assets: the three folders of the delivery, fingerprinted.

Observing a source computes a data version from every file's path, size and sha256, so a changed
extract shows up in Dagster as new data upstream of the ingest assets (and marks them stale).
"""

import hashlib

from dagster import AssetKey, DataVersion, observable_source_asset

from pipeline.ingest.reader import EXTRACTS, DeliveryError, discover
from pipeline.resources import DeliveryResource


def fingerprint(delivery: DeliveryResource, extract: str) -> str:
    try:
        files = discover(delivery.root, extract)
    except DeliveryError as exc:
        return "onleesbaar:" + hashlib.sha256(str(exc).encode()).hexdigest()[:16]
    return fingerprint_of((source.relative, source.bytes, source.sha256()) for source in files)


def fingerprint_of(files) -> str:
    """The data version of an extract from (path within the delivery, bytes, sha256) per file: the
    same from the files themselves (observing) as from what ingestion recorded (after a CLI run)."""
    digest = hashlib.sha256()
    for relative, size, sha in sorted(files):
        digest.update(f"{relative}\0{size}\0{sha}\n".encode())
    return digest.hexdigest()


def _source(extract: str):
    @observable_source_asset(
        key=AssetKey(["levering", extract]),
        group_name="bronnen",
        description=f"The {extract}/ folder of the delivery (docs/EXTRACTS.md); versioned by the sha256 of its files.",
    )
    def _observe(delivery: DeliveryResource) -> DataVersion:
        return DataVersion(fingerprint(delivery, extract))

    return _observe


SOURCES = [_source(extract) for extract in EXTRACTS]
SOURCE_KEYS = {extract: AssetKey(["levering", extract]) for extract in EXTRACTS}
