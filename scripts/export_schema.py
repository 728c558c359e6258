"""Export the JSON Schema of the models to schema/json/, for editors that validate YAML.

Run `python -m scripts.export_schema` after changing a model; a test fails while the
files on disk differ from what the models say.
"""

import json
import sys
from pathlib import Path

from schema import Action, Complaint, Policy
from scripts.files import write_atomic

FOLDER = Path(__file__).resolve().parent.parent / "schema" / "json"
MODELS = {"action": Action, "complaint": Complaint, "policy": Policy}


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
