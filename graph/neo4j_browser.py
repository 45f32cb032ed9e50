"""What the Neo4j Browser is told on connect, and what it must not do: the server settings for it.

On connect the Browser runs `browser.post_connect_cmd`: `:style` and `:guide` with the chiptrail
API's URLs (the files `api.http.browser` serves). It fetches them only from the hosts in
`browser.remote_content_hostname_whitelist` (hostnames; the port is ignored), here loopback alone.
`client.allow_telemetry=false` stops the Browser's product analytics and `dbms.usage_report.enabled`
the server's usage report, so neither reaches for the internet. These are the Neo4j 5.26 names
(`ServerSettings`, `GraphDatabaseSettings` in the 5.26.31 jars); `browser.allow_outgoing_connections`
is listed by `dbms.clientConfig()` but is not a setting of 5.26 Community, which refuses unknown names.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

DEFAULT_API_URL = "http://127.0.0.1:8000"
GUIDE_PATH = "/browser/chiptrail.md"
STYLE_PATH = "/browser/chiptrail.grass"
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def guide_url(api_url: str) -> str:
    return api_url.rstrip("/") + GUIDE_PATH


def style_url(api_url: str) -> str:
    return api_url.rstrip("/") + STYLE_PATH


def deep_link(browser_url: str, api_url: str) -> str:
    """A Browser URL that opens the chiptrail guide (after login) without typing a command."""
    return f"{browser_url}?cmd=guide&arg={quote(guide_url(api_url), safe='')}"


def browser_settings(api_url: str) -> dict[str, str]:
    """neo4j.conf lines (name → value) that load the style and the guide on connect and keep the
    Browser and the server off the internet."""
    host = urlsplit(api_url).hostname or "127.0.0.1"
    hosts = [*LOOPBACK_HOSTS, *([host] if host not in LOOPBACK_HOSTS else [])]
    return {
        "browser.post_connect_cmd": f"style {style_url(api_url)}; guide {guide_url(api_url)}",
        "browser.remote_content_hostname_whitelist": ",".join(hosts),
        "client.allow_telemetry": "false",
        "dbms.usage_report.enabled": "false",
    }
