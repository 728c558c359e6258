"""Export the JSON Schema of the models to schema/json/, for editors that validate YAML.

Run `python -m complaints_register.store.export_schema` after changing a model; a test fails while the
files on disk differ from what the models say.
"""

import json
import sys
from importlib import resources
from pathlib import Path

from pydantic import BaseModel

from complaints_register.schema import Action, Complaint, Policy
from complaints_register.store.files import write_atomic

FOLDER = (
    Path(str(resources.files("complaints_register.schema") / "json" / "policy.schema.json"))
    .resolve()
    .parent
)
MODELS: dict[str, type[BaseModel]] = {"action": Action, "complaint": Complaint, "policy": Policy}


def exported(name: str) -> str:
    """The text of `<name>.schema.json` as the models define it now."""
    body = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    body.update(MODELS[name].model_json_schema())
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    for name in MODELS:
        path = FOLDER / f"{name}.schema.json"
        write_atomic(path, exported(name))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
