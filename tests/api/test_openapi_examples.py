"""Every route of the OpenAPI document has examples: its request body (tested in
test_every_action), every success answer but file downloads (real answers captured by
tools/openapi_examples.py) and every parameter; each example is valid against the schema it
illustrates."""

from __future__ import annotations

from typing import Any

import jsonschema

from tests.api.conftest import World


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Validator:
    # the schema's $refs point into the document's components
    wrapped = {**schema, "components": document["components"]}
    return jsonschema.Draft202012Validator(wrapped, format_checker=jsonschema.FormatChecker())


def test_every_success_answer_and_parameter_has_a_valid_example(world: World) -> None:
    document = world.client().get("/openapi.json").json()
    missing, invalid = [], []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for code, response in operation["responses"].items():
                for media, content in response.get("content", {}).items():
                    if (
                        not code.startswith("2")
                        or content.get("schema", {}).get("format") == "binary"
                    ):
                        continue  # a file download (DOCX, PDF, ZIP…) has no example to show
                    if "example" not in content:
                        missing.append(f"{where} {code} {media}")
                        continue
                    errors = list(
                        _validator(document, content.get("schema", {})).iter_errors(
                            content["example"]
                        )
                    )
                    invalid += [f"{where} {code}: {e.message[:200]}" for e in errors]
            for parameter in operation.get("parameters", []):
                name = f"{where} {parameter['in']} {parameter['name']}"
                if "example" not in parameter:
                    missing.append(name)
                    continue
                errors = list(
                    _validator(document, parameter["schema"]).iter_errors(parameter["example"])
                )
                invalid += [f"{name}: {e.message[:200]}" for e in errors]
    assert not missing, "no example:\n" + "\n".join(missing)
    assert not invalid, "example does not fit its schema:\n" + "\n".join(invalid)


def test_the_case_example_is_a_real_answer(world: World) -> None:
    document = world.client().get("/openapi.json").json()
    got = document["paths"]["/api/v1/cases/{case_id}"]["get"]["responses"]["200"]
    example = got["content"]["application/json"]["example"]
    assert example["state"] == "received" and example["ref"] == "2026-002"
    derivation = [line for d in example["deadlines"] for line in d["derivation"]]
    assert any("延长" in line for line in derivation), derivation  # the extension shows
    assert [e["action"] for e in example["events"]] == [
        "register", "assign", "request_correction", "receive_correction", "extend"
    ]  # fmt: skip
