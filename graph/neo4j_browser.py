"""What the Neo4j Browser is told on connect, and what it must not do: the server settings for it.

On connect the Browser runs `browser.post_connect_cmd`: `:style` and `:guide` with the chiptrail
API's URLs (the files `api.http.browser` serves). It fetches them only from the hosts in
`browser.remote_content_hostname_whitelist` (hostnames; the port is ignored), here loopback alone.
`client.allow_telemetry=false` stops the Browser's product analytics and `dbms.usage_report.enabled`
the server's usage report. These are the Neo4j 5.26 names (`ServerSettings`, `GraphDatabaseSettings`
in the 5.26.31 jars); `browser.allow_outgoing_connections` is listed by `dbms.clientConfig()` but is
not a setting of 5.26 Community, which refuses unknown names.

That is not enough: on Community the Browser (5.24.0) loads its outside scripts once connected
whatever the settings say (`shouldAllowOutgoingConnections` is true for every non-Enterprise
edition), and its page links a web font. So the Content-Security-Policy the server sends with the
Browser's files (`dbms.security.http_static_content_security_policy_header`) is narrowed to the
Browser's own origin, loopback WebSockets (Bolt) and loopback HTTP (the chiptrail API): the web
browser then refuses every outside request before it is made.
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
    """A Browser URL that opens the chiptrail guide without typing a command. The Browser runs it
    before login, while only its built-in host list (`guides.neo4j.com, localhost`) applies, so the
    guide's URL names 127.0.0.1 as localhost."""
    parts = urlsplit(guide_url(api_url))
    if parts.hostname == "127.0.0.1":
        parts = parts._replace(netloc=parts.netloc.replace("127.0.0.1", "localhost", 1))
    return f"{browser_url}?cmd=guide&arg={quote(parts.geturl(), safe='')}"


def content_security_policy(api_host: str) -> str:
    """The Browser page's policy: scripts, styles, fonts and images from its own origin only;
    connections to loopback (and the API's host) only."""
    hosts = dict.fromkeys([*LOOPBACK_HOSTS, api_host])
    connect = " ".join(f"{scheme}://{host}:*" for host in hosts for scheme in ("ws", "wss", "http", "https"))
    return (
        "default-src 'self'; script-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "font-src 'self' data:; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; "
        f"connect-src 'self' {connect}"
    )


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
        "dbms.security.http_static_content_security_policy_header": content_security_policy(host),
    }
