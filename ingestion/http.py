"""HTTP for feed clients: timeouts, bounded retries with backoff, Retry-After, clear errors.

Retries are urllib3's `Retry` (the maintained implementation requests uses), so 429/5xx and
connection failures are retried with exponential backoff and `Retry-After` is honoured, up to a
cap. Errors name the feed, the URL without credentials, the status, the real cause (refused, name
not resolved, no answer) and what to do.

Credentials never leave this module in an error: `requests`' exceptions carry the full URL with
its query string (`api_key=`, `securityToken=`), so a FeedError is raised `from None` with the cause
summarised and every credential value of the request masked; Dagster records the exception chain in
the event log and compute logs, where a chained cause would publish the key.

A dead feed fails fast: connecting is given `connect_timeout_s` (5 s) and a server that accepts but
never answers `timeout_s` (20 s) per attempt, with one retry of either, while 429 and 5xx answers
keep their retries; the fetch runs before the writer pool is taken (see the feed assets).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

SECRET_PARAMS = {"api_key", "securitytoken", "token", "auth-token", "key"}
SECRET_HEADERS = {"auth-token", "authorization", "x-api-key"}
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FeedError(RuntimeError):
    """A fetch failed after retries; the message says which feed, URL, status and what to do."""

    def __init__(self, feed: str, url: str, status: int | str, advice: str, detail: str = ""):
        self.feed, self.url, self.status = feed, url, status
        message = f"{feed}: GET {url} failed ({status})"
        if detail:
            message += f": {detail}"
        super().__init__(f"{message}. What to do: {advice}")


def _cause(error: Exception) -> tuple[str, str]:
    """(status, what happened) of a failed connection. urllib3's NewConnectionError (refused, DNS)
    subclasses ConnectTimeoutError, so it is tested first; requests wraps all of them, once retries
    are exhausted, in a ConnectionError whose MaxRetryError holds the last reason."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    reason = reason if reason is not None else error
    if isinstance(reason, NameResolutionError):
        return "no connection", "the host name does not resolve (DNS)"
    if isinstance(reason, NewConnectionError):
        errno = getattr(reason.__cause__ or reason.__context__, "errno", None)
        return "no connection", f"the connection was refused or unreachable (errno {errno})"
    if isinstance(reason, ConnectTimeoutError) or isinstance(error, requests.ConnectTimeout):
        return "timeout", "no connection within the connect timeout"
    if isinstance(reason, ReadTimeoutError) or isinstance(error, requests.Timeout):
        return "timeout", "connected, but the server did not answer within the read timeout"
    return "no connection", type(reason).__name__


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every credential value replaced by ***."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


class _CappedRetry(Retry):
    """Honour Retry-After, but never sleep longer than `max_retry_after` seconds on one answer."""

    max_retry_after: float = 120.0

    def get_retry_after(self, response):
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, self.max_retry_after)


def public_url(url: str, params: Mapping[str, object] | None = None) -> str:
    """The URL with credentials masked, safe for logs, errors and metadata."""
    shown = [(k, "***" if k.lower() in SECRET_PARAMS else v) for k, v in (params or {}).items()]
    return url + ("?" + urlencode(shown, doseq=True, safe=":[]") if shown else "")


@dataclass
class FeedHTTP:
    feed: str
    timeout_s: float = 20.0
    connect_timeout_s: float = 5.0
    retries: int = 4
    connection_retries: int = 1
    backoff_s: float = 1.0
    max_retry_after_s: float = 120.0
    session: requests.Session = field(init=False, repr=False)

    def __post_init__(self):
        retry = _CappedRetry(
            total=self.retries, connect=self.connection_retries, read=self.connection_retries, status=self.retries,
            other=self.connection_retries,
            backoff_factor=self.backoff_s, status_forcelist=RETRY_STATUSES, allowed_methods={"GET"},
            respect_retry_after_header=True, raise_on_status=False,
        )
        retry.max_retry_after = self.max_retry_after_s
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def get(self, url: str, *, params: Mapping[str, object] | None = None,
            headers: Mapping[str, str] | None = None, ok: Iterable[int] = (200,),
            auth: tuple[str, str] | None = None) -> requests.Response:
        """GET with retries; `auth`: HTTP Basic (user, password), masked like every credential."""
        shown = public_url(url, params)
        secrets = [str(v) for k, v in (params or {}).items() if k.lower() in SECRET_PARAMS] + [
            v for k, v in (headers or {}).items() if k.lower() in SECRET_HEADERS] + list(auth or ())
        attempts = self.connection_retries + 1
        try:
            response = self.session.get(url, params=params, headers=headers, auth=auth,
                                        timeout=(self.connect_timeout_s, self.timeout_s))
        except (requests.Timeout, requests.ConnectionError) as error:
            status, what = _cause(error)
            advice = ("check the network and the base URL (offline builds use the bundled data; live feeds "
                      "need internet access)") if status == "no connection" else (
                f"connect timeout {self.connect_timeout_s:g} s, read timeout {self.timeout_s:g} s; retry later "
                "or raise timeout_s in the grid_feeds resource")
            raise FeedError(self.feed, shown, status, advice, f"{what}, {attempts} attempts") from None
        except requests.RequestException as error:
            raise FeedError(self.feed, shown, "request error", "check the URL and parameters",
                            scrub(f"{type(error).__name__}: {error}", secrets)[:300]) from None
        if response.status_code not in set(ok):
            advice = {
                401: "check the API token in the environment variable named in the README",
                403: "the token has no access to this zone or endpoint; check the plan or the zone",
                404: "check the zone, region or endpoint name",
                429: "rate limited even after waiting for Retry-After; run again later or fetch fewer days",
            }.get(response.status_code, "retry later; if it persists, check the feed's status page")
            raise FeedError(self.feed, shown, response.status_code, advice,
                            scrub(response.text[:200].strip(), secrets))
        return response
