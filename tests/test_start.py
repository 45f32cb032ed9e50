"""Fast start: `chiptrail --help` lists every command without importing a group, the query layer,
the ontology's schema and shapes, or any heavy library; its summaries are the commands' own help."""

from __future__ import annotations

import importlib
import inspect
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from api.cli import COMMANDS, NAMED, SUMMARIES, build, overview

CLI = str(Path(sys.executable).parent / "chiptrail")
HEAVY = (
    "rdflib",
    "pyshacl",
    "fastapi",
    "uvicorn",
    "neo4j",
    "networkx",
    "pydantic",
    "rich",
    "yaml",
    "ontology",
    "loaders",
    "graph",
    "queries",
    "api.http",
    "api.cli.",  # any group
)


def _modules_after(argv: list[str]) -> tuple[str, list[str]]:
    """What `chiptrail ARGV` prints, and which of the heavy modules it imported, in a fresh interpreter."""
    code = (
        "import io, sys, contextlib\n"
        f"sys.argv = ['chiptrail', *{argv!r}]\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try:\n"
        "        from api.cli import main; main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(out.getvalue())\n"
        f"print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    *printed, modules = result.stdout.strip().splitlines()
    return "\n".join(printed), eval(modules)  # noqa: S307 - our own printed list of names


def test_help_imports_no_group_and_no_heavy_module() -> None:
    printed, heavy = _modules_after(["--help"])
    assert heavy == []
    for name in COMMANDS:
        assert f"\n  {name} " in printed


def test_no_arguments_and_an_unknown_command_import_nothing_heavy_either() -> None:
    assert _modules_after([])[1] == []
    # Typer's error path brings in pydantic (for its suggestions), but no group and nothing of ours.
    heavy = _modules_after(["no-such-command"])[1]
    assert [m for m in heavy if not m.startswith(("pydantic", "rich"))] == []


def test_a_command_still_loads_its_group() -> None:
    printed, heavy = _modules_after(["neo4j", "--help"])
    assert "api.cli.neo4j" in heavy
    assert "start" in printed


def _own_help(name: str) -> str:
    app = importlib.import_module(f"api.cli.{COMMANDS[name]}").app
    if name in NAMED:
        return str(app.info.help)
    command = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == name)
    return str(command.help or inspect.getdoc(command.callback))


def test_each_summary_is_the_first_paragraph_of_the_commands_own_help() -> None:
    assert SUMMARIES.keys() == COMMANDS.keys()
    for name in COMMANDS:
        assert SUMMARIES[name] == _own_help(name).split("\n\n")[0], name


def test_the_overview_and_the_full_command_line_list_the_same_commands() -> None:
    runner = CliRunner()
    full = runner.invoke(build(), ["--help"], terminal_width=200).output
    short = runner.invoke(overview(), ["--help"], terminal_width=200).output
    for name in COMMANDS:
        assert f" {name} " in full
        assert f" {name} " in short


def test_help_takes_a_fraction_of_a_second_of_processor_time() -> None:
    """Processor time, not wall time: the machine running the tests may be shared."""
    start = time.process_time()
    children_before = _children_cpu()
    subprocess.run([CLI, "--help"], capture_output=True, check=True)
    spent = _children_cpu() - children_before
    assert time.process_time() - start < 1
    assert spent < 0.6, f"chiptrail --help took {spent:.2f} s of processor time"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_serve_with_two_workers_runs_two_worker_processes_that_answer() -> None:
    """`chiptrail serve --workers 2`: two worker processes under one, answering from the data loaded."""
    import httpx

    from graph.neo4j_server import free_port

    port = free_port()
    server = subprocess.Popen(
        [CLI, "serve", "--port", str(port), "--workers", "2", "--no-access-log"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the API did not become ready"
            time.sleep(0.5)
        workers = [p for p in _children(server.pid) if "spawn_main" in _cmdline(p)]
        assert len(workers) == 2, [_cmdline(p) for p in _children(server.pid)]
        answer = httpx.get(f"{base}/v1/routes", params={"chip": "H100", "region": "Xinjiang"}, timeout=60)
        assert answer.status_code == 200
        assert answer.json()["routes"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
