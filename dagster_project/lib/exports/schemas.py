"""The schemas every export is validated against before it is written: BoAmps' own JSON Schema
(draft-04, shipped in data/reporting/boamps/, CC BY 4.0, Boavizta) with its cross-file `$ref`s
resolved from the shipped files (offline), and the warehouse's schemas of its AI Act and SCI files
(data/reporting/*.schema.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT4

REPORTING = Path(__file__).resolve().parents[3] / "data" / "reporting"
BOAMPS_PARTS = ("report", "algorithm", "dataset", "hardware", "measure")


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    if name == "boamps":
        parts = {part: json.loads((REPORTING / "boamps" / f"{part}_schema.json").read_text()) for part in BOAMPS_PARTS}
        # each part names itself by its upstream URL (`id`), which the report's `$ref`s point at
        registry = Registry().with_resources((schema["id"], DRAFT4.create_resource(schema))
                                             for schema in parts.values())
        return jsonschema.Draft4Validator(parts["report"], registry=registry)
    return jsonschema.Draft202012Validator(json.loads((REPORTING / f"{name}.schema.json").read_text()))


def problems(name: str, document: dict) -> list[str]:
    """Every way `document` breaks schema `name` (boamps, ai_act, sci), each as 'path: message'."""
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message}" for error in errors]


def validate(name: str, document: dict, what: str) -> None:
    found = problems(name, document)
    if found:
        raise ValueError(f"{what} is not a valid {name} document: " + "; ".join(found[:5]))
