"""Synthetic downloads in the real layouts, invented values: a CSL consolidated.json and an
OpenSanctions FtM entities file, each with a second snapshot that changes about 1% of it
(half of that changed fields, a quarter removed, a quarter added).

Deterministic: entity `i` of a kind is the same in both snapshots unless the delta touches it.
Removals only hit entities nothing points at (ownerships, sanctions, unreferenced companies).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHANGED, REMOVED = 200, 400  # every 200th entry changes, every 400th removable one goes
BIS = "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list"
OFAC = "https://ofac.treasury.gov/consolidated-sanctions-list-non-sdn-lists"
SOURCES = {
    "EL": "Entity List (EL) - Bureau of Industry and Security",
    "MEU": "Military End User (MEU) List - Bureau of Industry and Security",
    "SDN": "Specially Designated Nationals (SDN) - Treasury Department",
    "CMIC": "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
}
WORDS = ("Compute", "Photonics", "Microelectronics", "Intelligent", "Optics", "Semiconductor", "Cloud", "Vision")
CITIES = (("Shenzhen", "Guangdong", "CN"), ("Kowloon", "", "HK"), ("Moscow", "", "RU"), ("Tehran", "", "IR"))
PROGRAMMES = ("US-OFAC-SDN", "EU-SANC", "GB-HMT", "US-CMIC", "CH-SECO")
SHARES = ("60", "100%", "51.0", "> 50", "25-50", "33.3", "50", "10")


def _hex(text: str) -> str:
    return hashlib.sha224(text.encode()).hexdigest()


def _fr(i: int) -> str:
    return f"{85 + i % 6} FR {10000 + (i * 37) % 90000}, 12/5/24"


def csl_entry(i: int, changed: bool = False) -> dict[str, Any]:
    """Entry `i`: 60% Entity List, 10% MEU, 15% SDN, 10% CMIC, 5% individuals (SDN)."""
    slot = i % 20
    code = "EL" if slot < 12 else "MEU" if slot < 14 else "CMIC" if slot in (17, 18) else "SDN"
    city, state, cc = CITIES[i % len(CITIES)]
    name = f"Example {WORDS[i % len(WORDS)]} {WORDS[(i // 8) % len(WORDS)]} Co., Ltd. No. {i}"
    notice = _fr(i) + (f"; {_fr(i + 7)}" if i % 5 == 0 else "") if code in ("EL", "MEU") else ""
    addresses = [
        {"address": f"No. {i % 97} Example Road {n}", "city": city, "state": state, "postal_code": "", "country": cc}
        for n in range(1 + i % 2)
    ]
    aliases = [f"EXC {i}"] if i % 3 == 0 else []
    entry: dict[str, Any] = {
        "id": _hex(name.lower() + notice.lower()),
        "source": SOURCES[code],
        "name": name,
        "addresses": addresses,
        "federal_register_notice": notice or None,
        "start_date": f"20{20 + i % 6}-0{1 + i % 9}-1{i % 10}",
        "license_policy": "Presumption of denial." if code == "EL" else "",
        "license_requirement": "For all items subject to the EAR. (See § 744.11 of the EAR)." if code == "EL" else "",
        "remarks": "",
        "alt_names": [*aliases, *([f"Example Renamed {i}"] if changed else [])] or None,
        "title": None,
        "source_list_url": BIS if code in ("EL", "MEU") else OFAC,
        "source_information_url": BIS if code in ("EL", "MEU") else OFAC,
    }
    if code in ("SDN", "CMIC"):
        number = str(10_000 + i)
        entry |= {"id": number, "entity_number": number, "federal_register_notice": None, "start_date": None}
        entry |= {"type": "Individual" if slot == 19 else "Entity", "programs": [f"{code}-EO13959"]}
        entry["ids"] = [{"type": "ISIN", "number": f"XS{i:010d}", "country": None}] if code == "CMIC" else []
    return entry


def write_csl(path: Path, entries: int, second: bool) -> int:
    """consolidated.json; the second snapshot changes, drops and adds entries. Returns the entry count."""
    kept = [
        csl_entry(i, changed=second and i % CHANGED == CHANGED // 2)
        for i in range(entries)
        if not (second and i % REMOVED == 0)
    ]
    if second:
        kept += [csl_entry(i) for i in range(entries, entries + entries // REMOVED)]
    day = "2026-11-28" if second else "2026-11-01"
    envelope = {
        "results": kept,
        "search_performed_at": f"{day}T14:00:03.512000+00:00",
        "sources_used": [{"last_imported": f"{day}T14:00:03+00:00", "source": SOURCES["EL"], "import_rate": "Hourly"}],
        "offset": 0,
        "total": len(kept),
    }
    path.write_text(json.dumps(envelope, ensure_ascii=False, indent=1))
    return len(kept)


@dataclass(frozen=True)
class FtmSizes:
    """How many entities of each kind a file of `total` holds."""

    total: int

    @property
    def ownerships(self) -> int:
        return self.total // 5

    @property
    def sanctions(self) -> int:
        return self.total * 15 // 100

    @property
    def people(self) -> int:
        return self.total // 20

    @property
    def addresses(self) -> int:
        return self.total // 20

    @property
    def orgs(self) -> int:
        return self.total - self.ownerships - self.sanctions - self.people - self.addresses

    @property
    def referenced(self) -> int:
        """Organisations 0..referenced-1 are owners, assets or sanctioned; the rest nothing points at."""
        return self.orgs * 4 // 5


def _org_id(i: int) -> str:
    if i % 50 == 0:
        return f"trade-csl-{_hex(str(i))}"
    if i % 50 == 1:
        return f"ofac-{100_000 + i}"
    if i % 50 == 2:
        return f"NK-Ex{_hex(str(i))[:10]}Q{i}"
    return f"cn-corp-{i:07d}"


def _entity(entity_id: str, schema: str, props: dict[str, list[str]], **extra: Any) -> dict[str, Any]:
    return {
        "caption": (props.get("name") or props.get("percentage") or [entity_id])[0],
        "datasets": ["us_trade_csl"],
        "first_seen": "2025-12-05T06:20:11",
        "id": entity_id,
        "last_change": "2025-12-05T06:20:11",
        "last_seen": "2026-11-01T03:00:02",
        "properties": props,
        "referents": extra.get("referents", []),
        "schema": schema,
        "target": extra.get("target", False),
    }


def org(i: int, sizes: FtmSizes, changed: bool = False) -> dict[str, Any]:
    schema = ("Company", "Company", "Organization", "LegalEntity")[i % 4]
    props = {
        "name": [f"Example {WORDS[i % len(WORDS)]} Holdings {i}", *(["示例算力有限公司"] if i % 7 == 0 else [])],
        "country": [CITIES[i % len(CITIES)][2].lower()],
        "alias": [f"EXH {i}", *([f"EXH renamed {i}"] if changed else [])],
        "registrationNumber": [f"{i:08d}"],
    }
    if i % 10 == 0:
        props["addressEntity"] = [f"addr-{i % sizes.addresses:07d}"]
    if i % 3 == 0:
        props["uscCode"] = [f"91440300MA{i:08d}"]
    return _entity(_org_id(i), schema, props, referents=[f"ofac-{i}"] if i % 50 == 3 else [])


def ownership(k: int, sizes: FtmSizes, changed: bool = False) -> dict[str, Any]:
    owner = f"per-{k % sizes.people:07d}" if k % 20 == 0 else _org_id((k * 7 + 3) % sizes.referenced)
    props = {
        "owner": [owner],
        "asset": [_org_id((k * 13 + 1) % sizes.referenced)],
        "percentage": ["75" if changed else SHARES[k % len(SHARES)]],
        "startDate": [f"20{10 + k % 15}-0{1 + k % 9}"],
    }
    return _entity(f"own-{k:07d}", "Ownership", props)


def sanction(s: int, sizes: FtmSizes, changed: bool = False) -> dict[str, Any]:
    props = {"entity": [_org_id((s * 11) % sizes.referenced)], "startDate": ["2024-12-02"]}
    if s % 5 < 2:  # 40% Entity List, cited in the Federal Register
        props |= {"programId": ["US-BIS-EL"], "authorityId": [f"{85 + s % 6} FR {10000 + s % 300}"]}
        props["provisions"] = ["Presumption of approval." if changed else "Presumption of denial."]
    else:
        props |= {"programId": [PROGRAMMES[s % len(PROGRAMMES)]], "authority": ["Example Authority"]}
        props["reason"] = ["Amended reason." if changed else "Listed reason."]
    return _entity(f"san-{s:07d}", "Sanction", props)


def _others(sizes: FtmSizes) -> Iterator[tuple[dict[str, Any], bool]]:
    """(entity, removable) for every entity of the first snapshot, by kind."""
    for a in range(sizes.addresses):
        city, _, country = CITIES[a % len(CITIES)]
        props = {"full": [f"No. {a} Example Road, {city}"], "city": [city], "country": [country.lower()]}
        yield _entity(f"addr-{a:07d}", "Address", props), False
    for p in range(sizes.people):
        yield _entity(f"per-{p:07d}", "Person", {"name": [f"Example Person {p}"], "country": ["cn"]}), False


def write_ftm(path: Path, total: int, second: bool) -> int:
    """entities.ftm.json (one JSON object a line). Returns the entity count."""
    sizes = FtmSizes(total)
    count, removable = 0, 0
    with path.open("w", encoding="utf-8") as out:

        def emit(make: Any, i: int, can_go: bool) -> None:
            nonlocal count, removable
            if can_go:
                removable += 1
                if second and removable % (REMOVED // 2) == 0:  # removable entities are about half
                    return
            changed = second and i % CHANGED == CHANGED // 2
            out.write(json.dumps(make(i, sizes, changed), ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1

        for entity, _ in _others(sizes):
            out.write(json.dumps(entity, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
        for i in range(sizes.orgs):
            emit(org, i, i >= sizes.referenced)
        for k in range(sizes.ownerships):
            emit(ownership, k, True)
        for s in range(sizes.sanctions):
            emit(sanction, s, True)
        if second:
            added = total // REMOVED
            for n in range(added // 2):
                emit(org, sizes.orgs + n, False)  # new companies (ids past the first snapshot's)
            for n in range(added - added // 2):
                emit(ownership, sizes.ownerships + n, False)
    return count
