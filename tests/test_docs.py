"""The README and `sitrep --help` agree, so the docs never drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from sitrep.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> set[str]:
    """Every command and command group (`sitrep gazetteer`) of the CLI."""
    return ({c.name or c.callback.__name__ for c in app.registered_commands}
            | {g.name for g in app.registered_groups})


def test_every_command_is_in_the_readme_and_has_help():
    for name in commands():
        assert f"sitrep {name}" in README, f"README does not show `sitrep {name}`"
        res = CliRunner().invoke(app, [name, "--help"])
        assert res.exit_code == 0 and len(res.output) > 100
    for group in app.registered_groups:
        for c in group.typer_instance.registered_commands:
            assert f"sitrep {group.name} {c.name}" in README, f"README does not show `sitrep {group.name} {c.name}`"
            res = CliRunner().invoke(app, [group.name, c.name, "--help"])
            assert res.exit_code == 0 and len(res.output) > 100


def test_every_command_the_readme_shows_exists():
    shown = set(re.findall(r"(?:\$ |/)sitrep (\w+)", README))  # command lines: "$ sitrep run", ".venv/bin/sitrep docs"
    assert shown and shown <= commands(), shown - commands()


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_tests():
    assert "make demo" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_output_file_written_is_documented():
    from sitrep import pipeline
    import inspect

    for name in re.findall(r'out_dir / "([\w.]+)"', inspect.getsource(pipeline)):
        assert f"`{name}`" in README, f"{name} is written but not described in the README"
