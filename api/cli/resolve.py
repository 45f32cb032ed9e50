"""`chiptrail resolve candidates|judge|undo|apply`: identifiers merge, people decide the rest.

Decisions go to the user's judgements file (CHIPTRAIL_HOME/judgements.jsonl), appended, never edited;
the bundled data/resolution/judgements.jsonl is read first, so a user's later line wins.
"""

from __future__ import annotations

import getpass
from contextlib import closing
from typing import Annotated

import typer
from rich.table import Table

from api.cli.console import data_paths, emit, err, loaded, out, user_errors
from api.cli.options import Backend, BackendOpt, DataOpt, Format, FormatOpt
from api.settings import shared_settings
from api.stores import open_loaded_store
from loaders.judgements import append_judgements
from queries.judge import decide, undo
from queries.resolution_view import CandidateOut, candidate_view
from queries.same_as import apply_resolution, review

app = typer.Typer(name="resolve", help="Entity resolution: candidates to review, judgements, SAME_AS edges.")

ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (the evidence); recorded with the decision.")]
UserOpt = Annotated[str | None, typer.Option("--user", help="Who decides (default: the login name).")]


def _user(user: str | None) -> str:
    return user or getpass.getuser()


@app.command()
def candidates(
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many pairs.")] = 50,
    fmt: FormatOpt = Format.table,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Pairs to review, best first: both records side by side, the score and what makes it."""
    with loaded(data, backend) as store:
        found, nodes = review(store, shared_settings().judgement_files)
        payload = [candidate_view(c, nodes) for c in found[:limit]]
        emit(fmt, [p.model_dump(mode="json") for p in payload], lambda: _table(payload))


def _table(rows: list[CandidateOut]) -> None:
    table = Table("score", "left", "right", "features")
    for c in rows:
        side = [f"{r.id}\n{r.name} [{', '.join(r.countries)}]\n{' '.join(r.identifiers)}" for r in (c.left, c.right)]
        notes = ", ".join(f"{k}={v}" for k, v in c.features.items()) + (f" → {c.suggestion}" if c.suggestion else "")
        table.add_row(f"{c.score:.2f}", *side, notes)
    out.print(table if rows else "no candidates to review")


@app.command()
def judge(
    left: Annotated[str, typer.Argument(help="Organisation id.")],
    right: Annotated[str, typer.Argument(help="Organisation id.")],
    reason: ReasonOpt,
    same: Annotated[bool, typer.Option("--same", help="The two records are one organisation.")] = False,
    different: Annotated[bool, typer.Option("--different", help="They are two organisations.")] = False,
    unsure: Annotated[bool, typer.Option("--unsure", help="Cannot tell (stops it being suggested again).")] = False,
    user: UserOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Record a positive the cluster guard refuses.")] = False,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Append a decision to the user's judgements file (positive merges are previewed and guarded)."""
    chosen = [v for v, on in (("positive", same), ("negative", different), ("unsure", unsure)) if on]
    if len(chosen) != 1:
        raise typer.BadParameter("give exactly one of --same, --different, --unsure")
    settings = shared_settings()
    with loaded(data, backend) as store, user_errors():
        decision = decide(
            store, settings.judgement_files, left, right, chosen[0], reason=reason, user=_user(user), force=force
        )
        append_judgements(settings.user_judgements, [decision.judgement])
    j = decision.judgement
    if decision.conflict:
        err.print(f"[yellow]forced past the guard:[/] {decision.conflict}")
    out.print(f"{j.judgement}: {j.left} ~ {j.right} by {j.user} ({j.reason}) → {settings.user_judgements}")
    if j.judgement == "positive":
        out.print(f"cluster: {', '.join(decision.cluster)}")


@app.command(name="undo")
def undo_merge(
    left: Annotated[str, typer.Argument(help="Organisation id.")],
    right: Annotated[str, typer.Argument(help="Organisation id.")],
    reason: ReasonOpt,
    user: UserOpt = None,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Undo a merge in force: append a negative line superseding it."""
    settings = shared_settings()
    with loaded(data, backend) as store, user_errors():
        line = undo(store, settings.judgement_files, left, right, reason=reason, user=_user(user))
        append_judgements(settings.user_judgements, [line])
    out.print(f"negative: {line.left} ~ {line.right} (supersedes {line.supersedes}) → {settings.user_judgements}")


@app.command()
def apply(backend: BackendOpt = Backend.memory, data: DataOpt = None) -> None:
    """Write the SAME_AS edges (rules + bundled + user judgements); on Neo4j, MERGE by id (idempotent)."""
    settings = shared_settings()
    with user_errors():
        if backend is Backend.neo4j and data:
            raise typer.BadParameter("--data is for the memory backend")
        with closing(open_loaded_store(backend.value, data_paths(data), settings.home)) as store:
            report = apply_resolution(store, settings.judgement_files)
        if report.resolution.rekeyed:
            append_judgements(settings.user_judgements, report.resolution.rekeyed)
    out.print(
        f"{report.edges} SAME_AS edges ({report.positive} positive) on {backend.value}; "
        f"{report.removed} stale removed; {len(report.resolution.rekeyed)} judgements re-keyed"
    )
    for refusal in report.resolution.refusals:
        err.print(f"[yellow]not merged[/] {refusal.left} ~ {refusal.right} ({refusal.identifier}): {refusal.reason}")
