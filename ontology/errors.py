"""The domain's error tree. Each boundary (CLI, API) translates these once.

Every error carries a user-facing message; none needs a traceback to be understood.
"""

from __future__ import annotations


class ChiptrailError(Exception):
    """Base of every error chiptrail raises on purpose."""


class OntologyError(ChiptrailError):
    """The ontology or the shapes are inconsistent; nothing derived from them can be trusted."""


class DataError(ChiptrailError):
    """Input data is invalid. Holds every problem found, each with file, line, record and field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Problem:
    """One finding about one record: where it is, which field, what is wrong."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.record = record
        self.field = field

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return f"{', '.join(parts)}: {self.message}"

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "file": self.file,
            "line": self.line,
            "record": self.record,
            "field": self.field,
            "message": self.message,
        }


class NotFound(ChiptrailError):
    """A name given by the user matches nothing; carries the closest known names."""

    def __init__(self, kind: str, term: str, suggestions: list[str]) -> None:
        self.kind = kind
        self.term = term
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown {kind} '{term}'.{hint}")


class BackendUnavailable(ChiptrailError):
    """The configured graph backend cannot be reached or is not available."""


class ExportTooLarge(ChiptrailError):
    """A subgraph export would hold more nodes than the limit asked for; carries both numbers."""

    def __init__(self, found: int, limit: int) -> None:
        self.found = found
        self.limit = limit
        super().__init__(
            f"The subgraph holds {found:,} nodes, more than the limit of {limit:,}. "
            "Ask for fewer hops, fewer relationship types or fewer seeds, or raise the limit."
        )
