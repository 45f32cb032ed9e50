"""The command line loads one group per command: the table of which group holds which command is
the same as what each group registers, so no command is ever missing from its fast path."""

from __future__ import annotations

import importlib
import subprocess

from api.cli import COMMANDS, GROUPS, NAMED
from tests.helpers import CLI


def _registered(group: str) -> set[str]:
    app = importlib.import_module(f"api.cli.{group}").app
    names = set()
    for command in app.registered_commands:
        assert command.callback is not None
        names.add(command.name or command.callback.__name__.replace("_", "-"))
    return names


def test_every_command_is_found_in_the_group_that_registers_it() -> None:
    expected = {name: group for group in GROUPS for name in _registered(group)}
    expected.update({group: group for group in NAMED})
    assert expected == COMMANDS


def test_a_command_runs_with_only_its_group_loaded() -> None:
    probe = "import sys; sys.argv = ['chiptrail', 'validate', 'data']; from api.cli import main; main()"
    code = (
        f"import sys\ntry:\n    exec({probe!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('api.http', 'queries.routes', 'queries.exposure'))))"
    )
    result = subprocess.run(
        [CLI.replace("chiptrail", "python"), "-c", code], capture_output=True, text=True, check=False
    )
    assert "valid:" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"
