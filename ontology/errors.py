"""The domain's error tree. Each boundary (CLI, API) translates these once, by reading them.

Every error carries a user-facing message, the HTTP status and problem title the API answers
with, and the exit code the command line ends with; none needs a traceback to be understood.
User input never raises a builtin `ValueError`: it raises `InvalidParameter`, `NotFound` or
`DataError`, so an internal fault is never blamed on the user.
"""

from __future__ import annotations

from typing import Any


class ChiptrailError(Exception):
    """Base of every error chiptrail raises on purpose: an internal fault unless a subclass says otherwise."""

    status = 500
    title = "Internal error"
    exit_code = 1

    def details(self) -> dict[str, Any]:
        """Extra members of the problem object (RFC 9457) the API answers with."""
        return {}


class OntologyError(ChiptrailError):
    """The ontology, the shapes or a named query are inconsistent; nothing derived from them can be trusted."""

    title = "Inconsistent ontology"


class InvalidParameter(ChiptrailError):
    """A value the user gave is out of range or of the wrong kind; the message names the parameter."""

    status = 422
    title = "Invalid parameter"
    exit_code = 2


class Refused(ChiptrailError):
    """A request declined on purpose: a write sent to read-only Cypher, a missing key, a disabled endpoint."""

    title = "Refused"
    exit_code = 2

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


class ConfigurationError(ChiptrailError):
    """The settings are unusable (a placeholder or short password, an unknown backend): fix the environment."""

    title = "Misconfigured"


class WriteRefused(ChiptrailError):
    """The database refused a schema or write statement (the message carries its reason)."""

    title = "Write refused"


class DataError(ChiptrailError):
    """Input data is invalid. Holds every problem found, each with file, line, record and field."""

    status = 422
    title = "Invalid data"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def details(self) -> dict[str, Any]:
        return {"problems": [p.as_dict() for p in self.problems]}


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

    status = 404
    title = "Not found"
    exit_code = 2

    def __init__(self, kind: str, term: str, suggestions: list[str]) -> None:
        self.kind = kind
        self.term = term
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown {kind} '{term}'.{hint}")

    def details(self) -> dict[str, Any]:
        return {"suggestions": self.suggestions}


class BackendUnavailable(ChiptrailError):
    """The configured graph backend cannot be reached or does not answer (for now: retry later)."""

    status = 503
    title = "Backend unavailable"


class ExportTooLarge(ChiptrailError):
    """A subgraph export would hold more nodes than the limit asked for; carries both numbers."""

    status = 400
    title = "Bad request"
    exit_code = 2

    def __init__(self, found: int, limit: int) -> None:
        self.found = found
        self.limit = limit
        super().__init__(
            f"The subgraph holds {found:,} nodes, more than the limit of {limit:,}. "
            "Ask for fewer hops, fewer relationship types or fewer seeds, or raise the limit."
        )
