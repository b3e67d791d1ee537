"""The API's contract is committed (docs/openapi.json). A change to it must be deliberate:
regenerate with `make openapi` and review the diff."""

import json
from pathlib import Path

from config.api import schema_json as current_schema

SNAPSHOT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def test_openapi_schema_matches_the_committed_snapshot() -> None:
    assert SNAPSHOT.exists(), "docs/openapi.json is missing: run `make openapi`"
    assert current_schema() == SNAPSHOT.read_text(), (
        "The API schema changed. If that is intended, run `make openapi` and commit "
        "docs/openapi.json."
    )


def test_every_operation_documents_its_error_shape() -> None:
    schema = json.loads(current_schema())
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert operation.get("x-access"), f"{method} {path} has no x-access"
