"""Pictures of answers: self-contained HTML pages (inline SVG and CSS, no external resources) drawn
from the answer models alone, so a figure shows exactly what the JSON says. Shared by the command
line (`--format html`) and the HTTP API (`format=html` or `Accept: text/html`)."""

from api.pictures.exposure import exposure_html
from api.pictures.routes import routes_html

__all__ = ["exposure_html", "routes_html"]
