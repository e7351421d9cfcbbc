"""The `genai-report` console command ([project.scripts] in pyproject.toml): each subcommand reaches
the entry point it names; usage errors exit 2."""

from __future__ import annotations

import importlib

import pytest

from genai_report import cli


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_every_subcommand_names_a_callable_entry_point(name):
    module, function, _ = cli.COMMANDS[name]
    assert callable(getattr(importlib.import_module(module), function))


def test_help_lists_every_subcommand(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(f"  {name} " in out for name in ("build", "validate", "export", "kit", "gate"))


def test_usage_errors_exit_2(capsys):
    assert cli.main([]) == 2
    assert cli.main(["publish"]) == 2
    assert cli.main(["build", "--now"]) == 2
    assert "unknown command 'publish'" in capsys.readouterr().err


def test_subcommand_passes_its_arguments_on(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["validate", "--help"])
    assert exited.value.code == 0
    assert "--period" in capsys.readouterr().out
