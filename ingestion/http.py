"""HTTP for feed clients: timeouts, bounded retries with backoff, Retry-After, clear errors.

Retries are urllib3's `Retry` (the maintained implementation requests uses), so 429/5xx and
connection failures are retried with exponential backoff and `Retry-After` is honoured, up to a
cap. Errors name the feed, the URL without credentials, the status and what to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError
from urllib3.util.retry import Retry

SECRET_PARAMS = {"api_key", "securitytoken", "token", "auth-token", "key"}
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FeedError(RuntimeError):
    """A fetch failed after retries; the message says which feed, URL, status and what to do."""

    def __init__(self, feed: str, url: str, status: int | str, advice: str, detail: str = ""):
        self.feed, self.url, self.status = feed, url, status
        message = f"{feed}: GET {url} failed ({status})"
        if detail:
            message += f": {detail}"
        super().__init__(f"{message}. What to do: {advice}")


def _timed_out(error: Exception) -> bool:
    """requests reports a read timeout that exhausted its retries as a ConnectionError."""
    if isinstance(error, requests.Timeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, (ReadTimeoutError, ConnectTimeoutError))


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
    timeout_s: float = 30.0
    retries: int = 4
    backoff_s: float = 1.0
    max_retry_after_s: float = 120.0
    session: requests.Session = field(init=False, repr=False)

    def __post_init__(self):
        retry = _CappedRetry(
            total=self.retries, connect=self.retries, read=self.retries, status=self.retries,
            backoff_factor=self.backoff_s, status_forcelist=RETRY_STATUSES, allowed_methods={"GET"},
            respect_retry_after_header=True, raise_on_status=False,
        )
        retry.max_retry_after = self.max_retry_after_s
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def get(self, url: str, *, params: Mapping[str, object] | None = None,
            headers: Mapping[str, str] | None = None, ok: Iterable[int] = (200,)) -> requests.Response:
        shown = public_url(url, params)
        try:
            response = self.session.get(url, params=params, headers=headers, timeout=self.timeout_s)
        except (requests.Timeout, requests.ConnectionError) as error:
            if not _timed_out(error):
                raise FeedError(self.feed, shown, "no connection",
                                "check the network (offline builds use the bundled data; live feeds "
                                "need internet access)", type(error).__name__) from error
            raise FeedError(self.feed, shown, "timeout",
                            f"the server did not answer within {self.timeout_s:g} s after "
                            f"{self.retries + 1} attempts; retry later or raise the timeout",
                            type(error).__name__) from error
        except requests.RequestException as error:
            raise FeedError(self.feed, shown, "request error", "check the URL and parameters",
                            type(error).__name__) from error
        if response.status_code not in set(ok):
            advice = {
                401: "check the API token in the environment variable named in the README",
                403: "the token has no access to this zone or endpoint; check the plan or the zone",
                404: "check the zone, region or endpoint name",
                429: "rate limited even after waiting for Retry-After; run again later or fetch fewer days",
            }.get(response.status_code, "retry later; if it persists, check the feed's status page")
            raise FeedError(self.feed, shown, response.status_code, advice, response.text[:200].strip())
        return response
