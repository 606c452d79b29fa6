"""Feed HTTP errors say what really happened and never carry a credential."""

import pytest

from ingestion.http import FeedError, FeedHTTP

KEY = "key-81f2-secret"


def test_an_unresolvable_host_is_a_dns_failure_not_a_timeout():
    http = FeedHTTP("eia", connection_retries=0, backoff_s=0.01)
    with pytest.raises(FeedError, match=r"failed \(no connection\): the host name does not resolve") as error:
        http.get("http://feed.invalid/v2/data", params={"api_key": KEY})
    assert KEY not in str(error.value) and "api_key=%2A%2A%2A" in str(error.value)
    assert error.value.__cause__ is None and error.value.__suppress_context__  # no chained requests error


def test_an_answer_that_echoes_the_credential_is_masked(httpserver):
    httpserver.expect_request("/api").respond_with_data(f'{{"error": "invalid api_key {KEY}"}}', status=401)
    http = FeedHTTP("eia", retries=0, backoff_s=0.01)
    with pytest.raises(FeedError, match=r"\(401\).*invalid api_key \*\*\*.*check the API token") as error:
        http.get(httpserver.url_for("/api"), params={"api_key": KEY})
    assert KEY not in str(error.value)


def test_a_header_token_is_masked_too(httpserver):
    token = "em-tok-55aa-secret"
    httpserver.expect_request("/v3").respond_with_data(f"bad token {token}", status=403)
    with pytest.raises(FeedError) as error:
        FeedHTTP("electricity_maps", retries=0).get(httpserver.url_for("/v3"), headers={"auth-token": token})
    assert token not in str(error.value) and "bad token ***" in str(error.value)
