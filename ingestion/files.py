"""Landing: keep every input file exactly as read, addressed by its content hash; read text files
whatever their byte-order mark, or fail naming the file, line and fix."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import polars as pl

# UTF-32 before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one.
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def text_encoding(head: bytes) -> tuple[str, int]:
    """The encoding a file's first bytes announce (a byte-order mark, else UTF-8) and the mark's length."""
    return next(((name, len(bom)) for bom, name in BOMS if head.startswith(bom)), ("utf-8", 0))


def content_id(path: Path) -> str:
    """A short, stable id for a file's bytes; the same input gives the same load id."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def land_file(path: Path, landing_dir: Path) -> Path:
    """Copy `path` to `landing_dir/<content id>/<name>` once; return the landed copy.

    The copy is written under a temporary name and renamed into place, so a kill mid-copy never
    leaves a partial file under the content-hash name (a later build would trust it); a copy of the
    wrong size (left by a version without the rename) is written again.
    """
    path = Path(path)
    target = Path(landing_dir) / content_id(path) / path.name
    if not target.exists() or target.stat().st_size != path.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in target.parent.glob(f".{target.name}.*.partial"):  # a copy killed half-way
            leftover.unlink(missing_ok=True)
        write_atomically(target, lambda partial: shutil.copyfile(path, partial))
    return target


def write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """`write(temporary path)` beside `target`, then rename it over `target`: readers and later runs
    see the whole file or none of it, even after a kill (the temporary `.partial` is left, hidden)."""
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        write(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def read_text(path: Path) -> str:
    """A text file as str: UTF-8 (with or without BOM), or UTF-16/32 with a BOM (as Excel and Windows
    PowerShell save them). Other bytes raise ValueError naming the file, line and fix."""
    data = Path(path).read_bytes()
    encoding, bom = text_encoding(data)
    try:
        return data[bom:].decode(encoding).replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        offset = bom + error.start
        line = data[:offset].count(b"\n") + 1
        raise ValueError(f"{path}: line {line}: byte {data[offset]:#04x} at offset {offset} is not "
                         f"{encoding}; save the file as UTF-8") from None


def read_csv_records(path: Path) -> list[dict]:
    """Rows as dicts of strings, each with its 1-based line number (the header is line 1). UTF-8 or a
    UTF-16 file with its byte-order mark (Excel's "Unicode text"); other bytes raise ValueError naming
    the file and line."""
    return _records(read_text(path))


def _records(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [{**row, "source_row": reader.line_num} for row in reader]


def read_csv_frame(path: Path, source_file: str | None = None) -> pl.DataFrame:
    """A reference CSV as a frame (types inferred, empty fields null) with the lineage of each row:
    `source_file` (the file's name unless given) and `source_row`, its line (the header is line 1; a
    quoted field spanning lines counts them, as read_csv_records does)."""
    path, text = Path(path), read_text(path)
    frame = pl.read_csv(text.encode(), infer_schema_length=None)
    lines = [record["source_row"] for record in _records(text)]
    if len(lines) != frame.height:  # both read the same text: a disagreement is a bug, not bad input
        raise ValueError(f"{path}: {frame.height} rows parsed but {len(lines)} records read")
    return frame.with_columns(source_file=pl.lit(source_file or path.name), source_row=pl.Series(lines))


def load_id_of(paths: list[Path], content_ids: list[str] | None = None) -> str:
    """The id of one load of these files (from their content ids, when the caller has them): the same
    bytes give the same id, so a rebuild on unchanged inputs is identical; 'none' when there are no files."""
    if not paths:
        return "none"
    ids = content_ids if content_ids is not None else [content_id(p) for p in paths]
    return hashlib.sha256("".join(ids).encode()).hexdigest()[:16]
