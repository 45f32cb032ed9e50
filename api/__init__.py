"""The two faces of chiptrail over `queries/`: `api/http/` (the FastAPI application) and `api/cli/`
(the `chiptrail` command line). Neither imports the other, except `chiptrail serve`, which starts the
HTTP face. What both need lives here: the shared settings and the one function that opens a store."""
