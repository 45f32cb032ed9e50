"""Start and stop a local Neo4j Community 5.26 server from Maven-resolved jars, without Docker.

`tools/neo4j/pom.xml` resolves the server, Bolt, the Browser and APOC into `tools/neo4j/lib` and
`tools/neo4j/plugins` (`make neo4j-jars`). `start` writes a `neo4j.conf` for loopback ports,
a data folder and a small heap, sets the initial password, launches
`org.neo4j.server.CommunityEntryPoint` with the JVM flags the 5.26 distribution passes, and
waits until Bolt answers. `stop` sends SIGTERM, then kills after a grace period.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from graph.neo4j_browser import DEFAULT_API_URL, browser_settings
from ontology.errors import BackendUnavailable

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "neo4j"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
    "-Dfile.encoding=UTF-8",
)


# The four groups of indexes `Neo4jStore.setup_schema` creates, filled side by side (two at a time
# by default); docker-compose.yml says the same.
INDEX_SETTINGS = {"internal.dbms.index_population.parallelism": "4"}


@dataclass(frozen=True)
class ServerConfig:
    """Where a local server keeps its files and which loopback ports it uses."""

    home: Path
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "512m"
    pagecache: str = "128m"
    tools: Path = TOOLS
    api_url: str = DEFAULT_API_URL

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "console.log"

    @classmethod
    def saved(cls, home: Path) -> ServerConfig:
        """The configuration a server in `home` was last started with (defaults if none)."""
        try:
            ports = json.loads((home / "run" / "server.json").read_text())
            api_url = str(ports.get("api_url", DEFAULT_API_URL))
            heap, pagecache = str(ports.get("heap", cls.heap)), str(ports.get("pagecache", cls.pagecache))
            return cls(home, int(ports["bolt_port"]), int(ports["http_port"]), heap, pagecache, api_url=api_url)
        except (OSError, ValueError, KeyError):
            return cls(home)

    def save(self) -> None:
        (self.home / "run" / "server.json").write_text(
            json.dumps(
                {
                    "bolt_port": self.bolt_port,
                    "http_port": self.http_port,
                    "api_url": self.api_url,
                    "heap": self.heap,
                    "pagecache": self.pagecache,
                }
            )
        )


def free_port() -> int:
    """A loopback port nothing listens on (for test servers)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def jars_present(tools: Path = TOOLS) -> bool:
    """Whether `make neo4j-jars` has resolved the server jars."""
    return any((tools / "lib").glob("neo4j-server-*.jar"))


def java() -> str:
    java = shutil.which("java")
    if java is None:
        raise BackendUnavailable("Java 17 is needed to run Neo4j 5.26; no `java` on PATH")
    return java


def write_config(config: ServerConfig) -> Path:
    """The generated neo4j.conf: loopback only, small memory, auth on, the Browser loading chiptrail's
    style and guide from `config.api_url` on connect, usage reporting and telemetry off."""
    conf_dir = config.home / "conf"
    for folder in ("data", "logs", "run", "import", "conf"):
        (config.home / folder).mkdir(parents=True, exist_ok=True)
    settings = {
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.listen_address": f":{config.bolt_port}",
        "server.http.listen_address": f":{config.http_port}",
        "server.bolt.advertised_address": f":{config.bolt_port}",
        "server.http.advertised_address": f":{config.http_port}",
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
        "server.https.enabled": "false",
        "server.directories.data": str(config.home / "data"),
        "server.directories.logs": str(config.home / "logs"),
        "server.directories.run": str(config.home / "run"),
        "server.directories.import": str(config.home / "import"),
        "server.directories.plugins": str(config.tools / "plugins"),
        "server.directories.lib": str(config.tools / "lib"),
        "server.memory.heap.initial_size": config.heap,
        "server.memory.heap.max_size": config.heap,
        "server.memory.pagecache.size": config.pagecache,
        "dbms.security.auth_enabled": "true",
        "dbms.security.procedures.unrestricted": "apoc.*",
        **INDEX_SETTINGS,
        **browser_settings(config.api_url),
    }
    path = conf_dir / "neo4j.conf"
    path.write_text("".join(f"{k}={v}\n" for k, v in settings.items()), encoding="utf-8")
    return conf_dir


def classpath(config: ServerConfig) -> str:
    return os.pathsep.join(
        str(p) for p in (config.tools / "plugins" / "*", config.home / "conf" / "*", config.tools / "lib" / "*")
    )


def set_initial_password(config: ServerConfig, password: str) -> None:
    """Before the first start only: the admin tool writes data/dbms/auth.ini."""
    if (config.home / "data" / "databases" / "system").exists():
        return
    env = {**os.environ, "NEO4J_HOME": str(config.home), "NEO4J_CONF": str(config.home / "conf")}
    result = subprocess.run(  # noqa: S603 - fixed program and arguments
        # `--` ends the options, so a password that starts with '-' is not read as one
        [java(), "-cp", classpath(config), ADMIN_TOOL, "dbms", "set-initial-password", "--", password],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise BackendUnavailable(f"{ADMIN_TOOL} dbms set-initial-password failed: {result.stderr.strip()[-500:]}")


def running_pid(config: ServerConfig) -> int | None:
    """The pid of a server this folder started that is still alive."""
    try:
        pid = int(config.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _alive(pid: int) -> bool:
    """Whether the process still runs (reaping it first if it is our own exited child)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _bolt_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start(config: ServerConfig, password: str, *, timeout: float = 180.0) -> int:
    """Start the server (or find it running); return its pid once Bolt answers."""
    if not jars_present(config.tools):
        raise BackendUnavailable(f"no Neo4j jars in {config.tools / 'lib'}: run `make neo4j-jars` (Maven)")
    if (pid := running_pid(config)) is not None:
        return pid
    conf_dir = write_config(config)
    set_initial_password(config, password)
    command = [
        java(),
        "-cp",
        classpath(config),
        *JVM_FLAGS,
        f"-Xms{config.heap}",
        f"-Xmx{config.heap}",
        ENTRY_POINT,
        f"--home-dir={config.home}",
        f"--config-dir={conf_dir}",
        "--console-mode",
    ]
    with config.log_file.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed program and arguments
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    config.pid_file.write_text(str(process.pid))
    config.save()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = config.log_file.read_text(errors="replace")[-2000:]
            raise BackendUnavailable(f"Neo4j exited with status {process.returncode}; log tail:\n{tail}")
        if _bolt_open(config.bolt_port):
            return process.pid
        time.sleep(0.5)
    stop(config)
    raise BackendUnavailable(
        f"Neo4j did not open Bolt on port {config.bolt_port} within {timeout:.0f}s; see {config.log_file}"
    )


def stop(config: ServerConfig, *, grace: float = 60.0) -> bool:
    """SIGTERM, wait up to `grace` seconds, then SIGKILL. False if nothing was running."""
    pid = running_pid(config)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not _alive(pid):
            break
        time.sleep(0.2)
    else:
        os.kill(pid, signal.SIGKILL)
    config.pid_file.unlink(missing_ok=True)
    return True
