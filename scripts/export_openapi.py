"""Write the application's OpenAPI document, deterministically."""

import argparse
import json
import sys
from pathlib import Path

from core.app import create_app
from core.config import Settings


def export(output: Path) -> None:
    app = create_app(Settings(static_dir=None))
    document = app.openapi()
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=Path("shared/openapi.json"))
    arguments = parser.parse_args(argv)
    export(arguments.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
