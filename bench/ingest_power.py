"""Ingest throughput of the GEM coal, solar and wind trackers at real size, both backends, one run.

    python -m bench.ingest_power [--scale 1.0] [--neo4j-scale 1.0] [--backends memory,neo4j] [--xlsx]

Generates synthetic trackers in GEM's real layouts (the headers of tests/fixtures/gem): about
40,000 coal unit rows, 35,000 solar and 25,000 wind phase rows at scale 1 (10^5 in all), 1–4 units
per location, 6,000 owner entities with shares and parents, places from Hami and Yiwu to provinces
the graph does not hold (which warn). Each tracker is ingested as its own dataset with `chiptrail
ingest gem` as a child process; the table gives unit rows/s and records written/s per backend, and
the child's CPU seconds (on a shared machine wall time mostly measures the others' load).
`--neo4j-scale` runs Neo4j on a fraction of the rows when time is short (the report says which).
`--xlsx` also times the coal tracker as a workbook (openpyxl, read-only). Neo4j is NEO4J_URI /
NEO4J_PASSWORD when set (cleared first), else a server started from tools/neo4j. The machine is
shared: read the ratios.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import tempfile
from pathlib import Path
from typing import Any

from rich.table import Table

from bench import write_results
from bench.ingest import console, neo4j_env, run

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "gem"
UNITS = {"coal": 40_000, "solar": 35_000, "wind": 25_000}
ENTITIES = 6_000
UNIT_ROWS = re.compile(r"([\d,]+) unit/phase rows")
ADDED = re.compile(r"([\d,]+) added")
# (country, subnational unit, major area, local area, latitude, longitude)
PLACES = [
    ("China", "Xinjiang", "Hami", "Yiwu", 43.3, 94.7),
    ("China", "Xinjiang", "Hami", "", 42.9, 93.4),
    ("China", "Xinjiang", "Changji", "", 44.0, 87.3),
    ("China", "新疆", "", "", 41.7, 86.1),
    ("China", "CN-QH", "", "", 36.1, 100.2),
    ("China", "Inner Mongolia", "Ordos", "", 39.6, 109.8),
    ("China", "Shanxi", "Datong", "", 40.1, 113.3),
    ("United States", "Texas", "", "", 32.4, -99.7),
    ("India", "Gujarat", "Kutch", "", 23.2, 69.6),
]
STATUS = {
    "coal": ["operating", "operating", "construction", "permitted", "pre-permit", "announced", "retired", "cancelled"],
    "solar": ["operating", "operating", "construction", "pre-construction", "announced", "shelved - inferred 2 y"],
    "wind": ["operating", "operating", "construction", "pre-construction", "announced", "mothballed"],
}


def _owners(rng: random.Random) -> tuple[str, str]:
    picked = rng.sample(range(ENTITIES), rng.choice((1, 1, 2)))
    shares = [100] if len(picked) == 1 else [60, 40]
    names = "; ".join(f"Synthetic Energy {n:05d} Co Ltd [{s}%]" for n, s in zip(picked, shares, strict=True))
    ids = "; ".join(f"E1000{n:08d}" for n in picked)
    return names, ids


def _header(tracker: str) -> list[str]:
    name = {"coal": "coal-2026-01.csv", "solar": "solar-2026-02.csv", "wind": "wind-2026-02.csv"}[tracker]
    with (FIXTURES / name).open(encoding="utf-8") as handle:
        return next(csv.reader(handle))


def write_tracker(path: Path, tracker: str, units: int, seed: int = 7) -> int:
    """A synthetic tracker of about `units` unit rows; returns the rows written."""
    rng, header, written, location = random.Random(seed), _header(tracker), 0, 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.DictWriter(handle, header)
        out.writeheader()
        while written < units:
            location += 1
            country, province, prefecture, county, lat, lon = rng.choice(PLACES)
            owner, owner_ids = _owners(rng)
            parent, parent_ids = _owners(rng)
            for number in range(1, min(rng.randint(1, 4), units - written) + 1):
                row = _row(tracker, location, number, rng)
                row |= {
                    "Country/Area": country, "Owner": owner, "Owner GEM Entity ID": owner_ids, "Parent": parent,
                    "Parent GEM Entity ID": parent_ids, "Subnational unit (province, state)": province,
                    "State/Province": province, "Major area (prefecture, district)": prefecture,
                    "Local area (taluk, county)": county, "Latitude": f"{lat + rng.uniform(-0.3, 0.3):.4f}",
                    "Longitude": f"{lon + rng.uniform(-0.3, 0.3):.4f}",
                    "Location accuracy": rng.choice(("exact", "approximate")),
                }  # fmt: skip
                out.writerow({k: v for k, v in row.items() if k in header})
                written += 1
    return written


def _row(tracker: str, location: int, number: int, rng: random.Random) -> dict[str, str]:
    plant = f"Synthetic {tracker} plant {location:06d}"
    code = {"coal": 1, "solar": 2, "wind": 3}[tracker]
    return {
        "GEM location ID": f"L10{code}{location:09d}",
        "GEM unit/phase ID": f"G10{code}{location:07d}{number:02d}",
        "GEM phase ID": f"G10{code}{location:07d}{number:02d}",
        "Plant name": plant, "Project Name": plant, "Unit name": f"Unit {number}", "Phase Name": f"Phase {number}",
        "Capacity (MW)": str(rng.choice((50, 100, 200, 330, 660, 1000))), "Status": rng.choice(STATUS[tracker]),
        "Start year": str(rng.randint(1985, 2026)) if rng.random() < 0.7 else "",
        "Technology Type": rng.choice(("PV", "PV", "Solar Thermal")), "Installation Type": "Onshore",
        "Wiki URL": f"https://www.gem.wiki/Synthetic_{tracker}_{location}",
    }  # fmt: skip


def ingest(files: dict[str, Path], backend: str, env: dict[str, str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for tracker, path in files.items():
        before = _child_cpu()
        with console.status(f"{backend}: {tracker}"):
            done = run(["ingest", "gem", str(path), "--snapshot", "2026-02-01", "--backend", backend], env)
        cpu = _child_cpu() - before
        text = " ".join(done.output.split())
        units = int(UNIT_ROWS.search(text)[1].replace(",", "")) if UNIT_ROWS.search(text) else 0  # type: ignore[index]
        added = int(ADDED.search(text)[1].replace(",", "")) if ADDED.search(text) else 0  # type: ignore[index]
        results[tracker] = {
            "seconds": done.seconds,
            "cpu_seconds": cpu,
            "peak_mb": done.peak_mb,
            "unit_rows": units,
            "records": added,
            "unit_rows_per_s": units / done.seconds,
            "records_per_s": added / done.seconds,
        }
        console.print(f"{backend} {tracker}: {units:,} unit rows, {added:,} records in {done.seconds:,.1f} s")
    return results


def _child_cpu() -> float:
    """CPU seconds of the finished child processes: chiptrail's own work, whatever else the machine runs
    (Neo4j's server work is not in it)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def generate(folder: Path, scale: float, tag: str) -> dict[str, Path]:
    files = {}
    for tracker, units in UNITS.items():
        path = folder / f"{tracker}-{tag}.csv"
        write_tracker(path, tracker, max(20, round(units * scale)))
        files[tracker] = path
    return files


def workbook(source: Path, target: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    book.create_sheet("About").append(["Synthetic tracker"])
    sheet = book.create_sheet("Units")
    with source.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    book.save(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the real sizes (0.01: a smoke run)")
    parser.add_argument("--neo4j-scale", type=float, default=None, help="fraction for Neo4j (default: --scale)")
    parser.add_argument("--backends", default="memory,neo4j")
    parser.add_argument("--xlsx", action="store_true", help="also time the coal tracker as an XLSX workbook")
    args = parser.parse_args()
    backends = args.backends.split(",")
    results: dict[str, Any] = {"scale": args.scale, "neo4j_scale": args.neo4j_scale or args.scale}
    with tempfile.TemporaryDirectory(prefix="chiptrail-bench-power-") as name:
        folder = Path(name)
        files = generate(folder, args.scale, "full")
        if "memory" in backends:
            results["memory"] = ingest(files, "memory", {"CHIPTRAIL_HOME": str(folder / "home-memory")})
            if args.xlsx:
                book = workbook(files["coal"], folder / "coal.xlsx")
                env = {"CHIPTRAIL_HOME": str(folder / "home-xlsx")}
                results["memory_xlsx"] = ingest({"coal": book}, "memory", env)
        if "neo4j" in backends:
            neo4j_files = (
                files if results["neo4j_scale"] == args.scale else generate(folder, results["neo4j_scale"], "n")
            )
            with neo4j_env(folder) as server:
                env = {**server.env, "CHIPTRAIL_HOME": str(folder / "home-neo4j")}
                results["neo4j"] = ingest(neo4j_files, "neo4j", env)
    report(results, write_results("ingest_power", results))


def report(results: dict[str, Any], path: Path) -> None:
    table = Table(title="GEM trackers: chiptrail ingest gem")
    columns = ("backend", "tracker", "unit rows", "records", "seconds", "unit rows/s", "records/s", "CPU s", "peak MB")
    for column in columns:
        table.add_column(column, justify="left" if column in ("backend", "tracker") else "right")
    for backend in ("memory", "memory_xlsx", "neo4j"):
        for tracker, r in results.get(backend, {}).items():
            table.add_row(
                backend, tracker, f"{r['unit_rows']:,}", f"{r['records']:,}", f"{r['seconds']:,.1f}",
                f"{r['unit_rows_per_s']:,.0f}", f"{r['records_per_s']:,.0f}", f"{r['cpu_seconds']:,.1f}",
                f"{r['peak_mb']:,.0f}",
            )  # fmt: skip
    console.print(table)
    if results["neo4j_scale"] != results["scale"]:
        console.print(f"Neo4j ran at scale {results['neo4j_scale']} (the embedded backend at {results['scale']}).")
    if "memory" in results and "neo4j" in results:
        for tracker in results["memory"]:
            ratio = results["memory"][tracker]["unit_rows_per_s"] / results["neo4j"][tracker]["unit_rows_per_s"]
            console.print(f"{tracker}: embedded ÷ Neo4j unit rows/s {ratio:.1f}")
    console.print(f"results: {path}")


if __name__ == "__main__":
    main()
