"""First loads at `neo4j-admin database import full` speed: the records as import CSVs, then the import.

The CSVs are written by `graph.neo4j_csv` (one writer) and `graph.neo4j_csv_writers` (several
processes). `bulk_import` then, for a server this project started (`chiptrail neo4j start`): checks
the database is empty (refusing otherwise), stops the server, has the CSVs written, runs the import
with the jars in `tools/neo4j/lib`, starts it again and builds the ontology's constraints and
indexes. `bulk_load` imports a dataset so; a first ingest imports a download
(`graph.neo4j_bulk_ingest`).

A Docker server: write the CSVs (`chiptrail load --csv-dir DIR`), stop the container, and run the
image's tool on them, e.g. `docker compose run --rm -v DIR:/import neo4j neo4j-admin database import
full --overwrite-destination ...` with the arguments `import_arguments` prints; start the container
and run `chiptrail load` once (it builds the constraints and indexes, and the data is already there).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

from graph import neo4j_server
from graph.neo4j_csv import ARRAY_DELIMITER, CsvSet
from graph.neo4j_csv_writers import write_csvs
from graph.neo4j_server import ServerConfig
from graph.neo4j_store import Neo4jStore, identifier
from graph.settings import Neo4jSettings
from graph.store import LoadReport
from ontology.errors import BackendUnavailable, WriteRefused
from ontology.records import Dataset


def _multiline(paths: list[str]) -> list[str]:
    """The multiline options: none of the files (every file is then read in parallel), or just these."""
    if not paths:
        return ["--multiline-fields=false"]
    return ["--multiline-fields-format=v2", f"--multiline-fields={','.join(paths)}"]


def import_arguments(csvs: CsvSet, database: str, folder: str | None = None) -> list[str]:
    """The admin tool's arguments for these files (paths under `folder` if given: a container's view)."""

    def where(path: Path) -> str:
        return f"{folder}/{path.name}" if folder else str(path)

    args = [
        "database",
        "import",
        "full",
        database,  # before the file lists, which take every argument up to the next option
        "--overwrite-destination=true",
        *_multiline([where(path) for path in csvs.multiline]),
        f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
        "--high-parallel-io=on",
    ]
    args += [f"--nodes={':'.join(labels)}={where(path)}" for labels, path in csvs.nodes]
    args += [f"--relationships={rel_type}={where(path)}" for rel_type, path in csvs.relationships]
    return args


def docker_steps(csvs: CsvSet, folder: Path, database: str) -> str:
    """What to run for a Docker server (`docker compose`): the image's tool on the CSVs in `folder`."""
    args = " ".join(import_arguments(csvs, database, "/import"))
    return (
        "For a Docker server: stop it, then (the database must be empty or new)\n"
        f"  docker compose run --rm -v {folder.resolve()}:/import neo4j neo4j-admin {args}"
    )


def run_import(config: ServerConfig, csvs: CsvSet, database: str, extra: Sequence[str] = ()) -> str:
    """Run `neo4j-admin database import full` from the project's jars (the server must be stopped);
    `extra`: more of the tool's options, e.g. `--max-off-heap-memory=2G` on a shared machine."""
    if neo4j_server.running_pid(config) is not None:
        raise WriteRefused(f"the Neo4j server in {config.home} is running: stop it before an import")
    neo4j_server.write_config(config)
    env = {**os.environ, "NEO4J_HOME": str(config.home), "NEO4J_CONF": str(config.home / "conf")}
    command = [neo4j_server.java(), "-cp", neo4j_server.classpath(config), neo4j_server.ADMIN_TOOL]
    result = subprocess.run(  # noqa: S603 - fixed program, arguments built from checked names
        [
            *command,
            *import_arguments(csvs, database),
            *extra,
            f"--report-file={config.home / 'logs' / 'import.report'}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise WriteRefused(f"neo4j-admin database import failed:\n{(result.stdout + result.stderr).strip()[-2000:]}")
    return result.stdout


def is_empty(store: Neo4jStore) -> bool:
    return store.run("MATCH (n) RETURN count(n) > 0 AS any")[0]["any"] is False


LOAD_INSTEAD = "load without --bulk to merge, or add --replace to import in its place"


def refuse_unless_empty(store: Neo4jStore, instead: str = LOAD_INSTEAD) -> None:
    """Raise `WriteRefused` (saying what to do `instead`) if the database holds anything."""
    if not is_empty(store):
        raise WriteRefused(
            f"the database '{store.settings.database}' at {store.settings.uri} holds data: a bulk load writes "
            f"only into an empty database ({instead})"
        )


def bulk_import(
    config: ServerConfig,
    settings: Neo4jSettings,
    write: Callable[[Path], CsvSet],
    *,
    status: Callable[[str], None] | None = None,
    instead: str = LOAD_INSTEAD,
    replace: bool = False,
) -> CsvSet:
    """Import the CSVs `write` puts in the folder it is given into the empty database of the server
    in `config.home` (with `replace`, in place of whatever it holds), then build the schema.

    The server is stopped first: `write` reads nothing from it, and its threads would take
    processor time from the writers (at 10^6, 3.2 s of CSVs with the server stopped against 3.5 s
    beside an idle one that had just loaded 10^5). Whatever `write` raises (a download that fails
    its checks) leaves the database as it was; the server is started again after, whatever happens
    (it is left running)."""
    say = status or (lambda _: None)
    password = settings.checked_password()
    if neo4j_server.running_pid(config) is None:
        raise BackendUnavailable(f"no Neo4j server started from {config.home} is running (chiptrail neo4j start)")
    if not replace:
        with closing(Neo4jStore.connect(settings)) as store:
            refuse_unless_empty(store, instead)
    folder = config.home / "import" / "bulk"
    shutil.rmtree(folder, ignore_errors=True)
    try:
        say("stopping Neo4j for the import")
        neo4j_server.stop(config)
        say("writing import CSVs")
        csvs = write(folder)
        say(f"importing {csvs.node_count:,} nodes and {csvs.edge_count:,} relationships")
        run_import(config, csvs, settings.database)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if neo4j_server.running_pid(config) is None:
            say("starting Neo4j")
            neo4j_server.start(config, password)
    say("building constraints and indexes")
    with closing(_connect_after_start(settings)) as store:
        build_schema(store)
        restore_empty_lists(store, csvs)
    return csvs


def restore_empty_lists(store: Neo4jStore, csvs: CsvSet) -> None:
    """Give back the empty lists the import left out (by id, through the indexes just built)."""
    for (on, key), ids in sorted(csvs.empty_lists.items()):
        prop = "`" + key.replace("`", "``") + "`"
        if on in store.schema.relationships:
            match = f"MATCH ()-[x:{identifier(on, store.schema.relationships)} {{id: id}}]->()"
        else:
            match = f"MATCH (x:{identifier(on, store.schema.classes)} {{id: id}})"
        for start in range(0, len(ids), 10_000):
            store.driver.execute_query(
                f"UNWIND $ids AS id {match} SET x.{prop} = []",
                {"ids": ids[start : start + 10_000]},
                database_=store.settings.database,
            )


def bulk_load(
    data: Dataset,
    config: ServerConfig,
    settings: Neo4jSettings,
    *,
    status: Callable[[str], None] | None = None,
    processes: int | None = None,
    replace: bool = False,
) -> LoadReport:
    """Import `data` into the empty database of the server in `config.home` (with `replace`, in place
    of whatever it holds), then build the schema (the CSVs written by `processes` writers: see
    `write_csvs`)."""
    csvs = bulk_import(
        config,
        settings,
        lambda folder: write_csvs(data, folder, processes=processes),
        status=status,
        replace=replace,
    )
    return LoadReport(csvs.node_count, csvs.edge_count)


def _connect_after_start(settings: Neo4jSettings, attempts: int = 6) -> Neo4jStore:
    """The restarted server's store: a fresh JVM on a busy machine may miss the first answer's deadline."""
    for _ in range(attempts - 1):
        try:
            return Neo4jStore.connect(settings)
        except BackendUnavailable:
            continue
    return Neo4jStore.connect(settings)


def build_schema(store: Neo4jStore) -> None:
    """The ontology's constraints and indexes, waited for until they are online."""
    store.setup_schema()
    with store.driver.session(database=store.settings.database) as session:
        session.run("CALL db.awaitIndexes(3600)").consume()
