"""An incoming item as JSON and back, so the queue can keep it and a story can be made from it later.

Pure: no Django. The dataclasses of articles/interchange/formats/items.py and wire.py become plain JSON
values field by field (times as ISO 8601 text, tuples as lists), and come back as the same dataclasses.
Fields a newer reader adds with a default come back with that default from JSON written before them.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import types
import typing
from functools import cache
from typing import Any

from articles.interchange.formats.items import IncomingItem


def to_data(item: IncomingItem) -> dict[str, Any]:
    """Return the item as JSON-ready values."""
    return _plain(item)


def from_data(data: dict[str, Any]) -> IncomingItem:
    """Return the item that to_data() turned into these values."""
    return _build(IncomingItem, data)


def to_json(item: IncomingItem) -> str:
    """Return the item as JSON text."""
    return json.dumps(to_data(item), ensure_ascii=False, sort_keys=True)


def from_json(text: str) -> IncomingItem:
    """Return the item that to_json() wrote."""
    return from_data(json.loads(text))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(cls: type, data: dict[str, Any]) -> Any:
    """Make a dataclass from its values, converting each by its declared type; unknown keys are dropped."""
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{name: _convert(hints[name], value) for name, value in data.items() if name in names})


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        return tuple(_convert(inner, v) for v in value)
    if hint is datetime.datetime:
        return datetime.datetime.fromisoformat(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _build(hint, value)
    return value
