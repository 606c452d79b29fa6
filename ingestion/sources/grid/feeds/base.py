"""What every feed parser shares: JSON decoding and field access with errors that say where."""

from __future__ import annotations

import json
from pathlib import Path


class FeedParseError(ValueError):
    """A payload that arrived but cannot be read; it stays in landing."""


def parse_json(feed: str, body: bytes, url: str, landed: Path):
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise FeedParseError(
            f"{feed}: {url} returned a body that is not valid JSON ({error.msg} at byte {error.pos}; "
            f"truncated?). The raw payload is kept at {landed}. What to do: run the partition again"
        ) from error


def field_at(feed: str, record: dict, path: str, url: str, landed: Path, where: object):
    """record['a']['b'] for path 'a.b', or a FeedParseError naming the field and the record."""
    value = record
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise FeedParseError(f"{feed}: {url}: record {where} has no field '{path}'. "
                                 f"The raw payload is kept at {landed}. What to do: check whether the API "
                                 "renamed the field, then adapt the parser")
        value = value[part]
    return value


def number(feed: str, value, path: str, url: str, landed: Path, where: object) -> float | None:
    """A numeric field as float (None stays None), or a FeedParseError naming the field and value."""
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise FeedParseError(f"{feed}: {url}: record {where} field '{path}' is not a number ({value!r}). "
                             f"The raw payload is kept at {landed}. What to do: check whether the API changed "
                             "the field's type, then adapt the parser") from None
