"""`genai-report <command> [args]`: one console command for what people run.

Each subcommand hands the rest of the command line to an existing entry point, unchanged; the
`python -m …` forms keep working. Imports are lazy, so `genai-report validate` does not load the
exports and `genai-report --help` loads nothing.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

#: subcommand -> (module, function taking argv or nothing, one line of help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("genai_report.build", "locked_main", "build, check and publish the warehouse (what `make build` runs)"),
    "validate": ("genai_report.validate", "main", "check submission files before sending them (提出前チェック)"),
    "export": ("genai_report.exports.__main__", "main", "write the workbook, HTML report and open data"),
    "kit": ("genai_report.kit.__main__", "main", "write each ministry's prefilled form for a period"),
    "gate": ("genai_report.quality_gate.run", "main", "run the Great Expectations gate over a warehouse"),
}


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [f"  {name:<{width}}  {help_text}" for name, (_, _, help_text) in COMMANDS.items()]
    return (
        "usage: genai-report <command> [args]\n\ncommands:\n"
        + "\n".join(lines)
        + ("\n\n`genai-report <command> --help` describes a command's arguments.")
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"genai-report: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module, function, _ = COMMANDS[name]
    entry = getattr(importlib.import_module(module), function)
    if name == "build":
        if rest:
            print(
                "genai-report build takes no arguments (settings are environment variables, see docs/operators.md)",
                file=sys.stderr,
            )
            return 2
        return entry()
    return entry(rest)


if __name__ == "__main__":
    sys.exit(main())
