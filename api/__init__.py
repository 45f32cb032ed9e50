"""The faces of chiptrail: the command line (and, next, the HTTP API)."""
