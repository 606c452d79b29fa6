"""Read a YAML file safely: bounded size, bounded alias expansion, errors naming file and line.

PyYAML's safe loader still expands aliases: a few hundred bytes of nested `&a [*a, *a, ...]` (the
"billion laughs") become billions of values, and any code that walks or prints the result (a
rejection message) runs out of memory. The document is composed first, its size counted with the
aliases expanded (each node once, memoised), and only a document within the limit is constructed.
libyaml's C loader is used where PyYAML has it (about ten times faster).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ingestion.files import read_text

MAX_BYTES = 10 * 1024 * 1024
MAX_VALUES = 1_000_000
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _expanded(node: yaml.Node, memo: dict, open_: set) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    if key in open_:
        raise ValueError("an alias refers to a node that contains it (a recursive document)")
    open_.add(key)
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded(child, memo, open_) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded(k, memo, open_) + _expanded(v, memo, open_) for k, v in node.value)
    else:
        size = 1
    open_.discard(key)
    memo[key] = size
    return size


def _lines(node: yaml.Node, path: tuple, out: dict) -> dict:
    """1-based line of every key and item, by its path in the document (("workloads", 0, "power"))."""
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _lines(child, (*path, i), out)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                out[(*path, key.value)] = key.start_mark.line + 1
                _lines(value, (*path, key.value), out)
    return out


def load_yaml(path: Path, max_bytes: int = MAX_BYTES, max_values: int = MAX_VALUES, with_lines: bool = False):
    """The document of a YAML file (None when empty); ValueError naming the file (and line) when it
    is too big, expands past `max_values` values through aliases, or is not valid YAML. With
    `with_lines`, (document, {path in the document: line}) so a rejection can name the line."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"{path}: {size / 1e6:.1f} MB is more than the {max_bytes / 1e6:.0f} MB a declarations "
                         "file may hold; split it into several files")
    loader = Loader(read_text(path))
    try:
        node = loader.get_single_node()
        if node is None:
            return (None, {}) if with_lines else None
        memo: dict = {}
        values = _expanded(node, memo, set())
        # A plain file is bounded by its size; only values multiplied by aliases are refused.
        if values > max_values and values > 2 * len(memo):
            raise ValueError(f"{path}: expands to {values:,} values through YAML aliases (more than {max_values:,}); "
                             "a document that multiplies anchors (`&a [*a, *a]`) is refused, write the values out")
        document = loader.construct_document(node)
        return (document, _lines(node, (), {})) if with_lines else document
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ValueError(f"{path}: {where}not valid YAML ({problem}); fix the syntax there") from None
    finally:
        loader.dispose()
