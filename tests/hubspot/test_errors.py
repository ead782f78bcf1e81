"""What a user sees for every error class, from HubSpot-shaped answers at the HTTP boundary."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hubprops.errors import (
    AuthenticationError,
    Conflict,
    DailyLimitReached,
    NotFound,
    PermissionDenied,
    RateLimited,
    RemoteError,
    RemoteUnavailable,
    ServerError,
    ValidationFailed,
)
from hubprops.hubspot import RetryPolicy
from tests.helpers.clock import FakeClock
from tests.hubspot.conftest import TEST_TOKEN, ClientFactory

PROPS = "/crm/v3/properties/contacts"


def hubspot_error(status: int, message: str, **extra: Any) -> httpx.Response:
    body = {"status": "error", "message": message, "correlationId": "c0ffee-1", **extra}
    return httpx.Response(status, json=body)


def always(response: httpx.Response) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        return response

    return handler


def assert_no_token(exc: BaseException) -> None:
    for text in (str(exc), repr(exc), repr(vars(exc))):
        assert TEST_TOKEN not in text
        assert "Bearer" not in text


def test_401_names_the_token_variable(mock_client: ClientFactory) -> None:
    client = mock_client(
        always(
            hubspot_error(
                401,
                "Authentication credentials not found.",
                category="INVALID_AUTHENTICATION",
            )
        )
    )
    with pytest.raises(AuthenticationError) as info:
        client.list_properties("contacts")
    message = str(info.value)
    assert message.startswith("HubSpot rejected the access token (401) on GET " + PROPS)
    assert "check HUBSPOT_ACCESS_TOKEN" in message
    assert "Authentication credentials not found." in message
    assert "[correlationId c0ffee-1]" in message
    assert info.value.status == 401
    assert info.value.category == "INVALID_AUTHENTICATION"
    assert_no_token(info.value)


def test_401_that_echoes_the_token_is_scrubbed(mock_client: ClientFactory) -> None:
    client = mock_client(always(hubspot_error(401, f"token {TEST_TOKEN} is expired")))
    with pytest.raises(AuthenticationError) as info:
        client.get_portal_id()
    assert "token *** is expired" in str(info.value)
    assert_no_token(info.value)


def test_403_names_the_missing_scope(mock_client: ClientFactory) -> None:
    client = mock_client(
        always(
            hubspot_error(
                403,
                "This app hasn't been granted all required scopes to make this call.",
                category="MISSING_SCOPES",
                errors=[
                    {
                        "message": "One or more of the following scopes are required.",
                        "context": {"requiredGranularScopes": ["crm.schemas.contacts.write"]},
                    }
                ],
            )
        )
    )
    with pytest.raises(PermissionDenied) as info:
        client.create_property("contacts", {"name": "a"})
    message = str(info.value)
    assert message.startswith(f"HubSpot refused POST {PROPS} (403): ")
    assert "the token lacks scope crm.schemas.contacts.write." in message
    assert "Private apps" in message
    assert_no_token(info.value)


def test_403_without_scope_list_still_says_what_to_do(mock_client: ClientFactory) -> None:
    client = mock_client(always(hubspot_error(403, "Forbidden")))
    with pytest.raises(PermissionDenied, match="the token lacks a scope this call needs"):
        client.archive_property("contacts", "a")


def test_400_keeps_each_field_problem(mock_client: ClientFactory) -> None:
    client = mock_client(
        always(
            hubspot_error(
                400,
                "Property values were not valid",
                category="VALIDATION_ERROR",
                errors=[
                    {"message": "fieldType select is not valid for type string", "in": "fieldType"},
                    {"message": "label must not be empty", "in": "label", "code": "REQUIRED"},
                ],
            )
        )
    )
    with pytest.raises(ValidationFailed) as info:
        client.create_property("contacts", {"name": "a"})
    assert str(info.value) == (
        f"HubSpot rejected POST {PROPS} (400): Property values were not valid "
        "(fieldType: fieldType select is not valid for type string; "
        "label: label must not be empty) [correlationId c0ffee-1]"
    )
    assert info.value.details == (
        "fieldType: fieldType select is not valid for type string",
        "label: label must not be empty",
    )


def test_404_is_none_for_a_read_and_notfound_for_a_write(mock_client: ClientFactory) -> None:
    client = mock_client(always(hubspot_error(404, "property a does not exist")))
    assert client.get_property("contacts", "a") is None
    with pytest.raises(NotFound) as info:
        client.update_property("contacts", "a", {"label": "A"})
    assert str(info.value).startswith(
        f"HubSpot found nothing at PATCH {PROPS}/a (404): property a does not exist"
    )


def test_409_on_a_first_attempt_is_a_conflict(mock_client: ClientFactory) -> None:
    client = mock_client(always(hubspot_error(409, "Property named 'a' already exists.")))
    with pytest.raises(Conflict) as info:
        client.create_property("contacts", {"name": "a"})
    assert "(409 conflict): Property named 'a' already exists." in str(info.value)
    assert client.stats.reconciled == 0


def test_daily_limit_is_final_at_once(mock_client: ClientFactory) -> None:
    client = mock_client(
        always(
            hubspot_error(
                429,
                "You have reached your daily limit.",
                errorType="RATE_LIMIT",
                policyName="DAILY",
            )
        )
    )
    with pytest.raises(DailyLimitReached) as info:
        client.list_groups("contacts")
    assert "daily API limit for this portal is used up (429 DAILY)" in str(info.value)
    assert "resets at midnight" in str(info.value)
    assert client.stats.requests == 1
    assert client.stats.retries == 0


def test_rolling_429_is_retried_then_reported(mock_client: ClientFactory, clock: FakeClock) -> None:
    client = mock_client(
        always(
            hubspot_error(
                429,
                "You have reached your ten_secondly_rolling limit.",
                policyName="TEN_SECONDLY_ROLLING",
            )
        ),
        retry=RetryPolicy(max_throttle_retries=3, sleep=clock.sleep, clock=clock),
    )
    with pytest.raises(RateLimited) as info:
        client.list_groups("contacts")
    assert str(info.value).startswith(
        f"HubSpot kept rate limiting GET {PROPS}/groups (429 TEN_SECONDLY_ROLLING) "
        "after 4 attempt(s)"
    )
    assert (client.stats.requests, client.stats.throttled, client.stats.retries) == (4, 4, 3)


def test_5xx_is_retried_with_backoff_then_reported(
    mock_client: ClientFactory, clock: FakeClock
) -> None:
    client = mock_client(always(hubspot_error(503, "Service Unavailable")))
    with pytest.raises(ServerError) as info:
        client.list_properties("contacts")
    assert str(info.value).startswith(
        f"HubSpot failed with 503 on GET {PROPS} after 6 attempt(s): Service Unavailable."
    )
    assert "status.hubspot.com" in str(info.value)
    assert (client.stats.requests, client.stats.server_errors, client.stats.retries) == (6, 6, 5)
    assert len(clock.slept) == 5  # one backoff per retry


def test_a_non_json_gateway_page_is_still_a_server_error(mock_client: ClientFactory) -> None:
    client = mock_client(always(httpx.Response(502, text="<html>Bad Gateway</html>")))
    with pytest.raises(ServerError, match="HubSpot failed with 502 on GET /account-info"):
        client.get_portal_id()


def test_network_failure_becomes_remote_unavailable(mock_client: ClientFactory) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = mock_client(refuse)
    with pytest.raises(RemoteUnavailable) as info:
        client.list_groups("leads")
    assert str(info.value) == (
        "GET /crm/v3/properties/leads/groups failed after 6 attempt(s) (ConnectError): could "
        "not get an answer from https://api.hubapi.test; check your network and --api-base, "
        "then run again"
    )
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert client.stats.network_errors == 6


def test_timeout_says_it_timed_out(mock_client: ClientFactory) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = mock_client(slow, retry=RetryPolicy(max_retries=1, sleep=lambda s: None))
    with pytest.raises(RemoteUnavailable, match=r"GET /account-info/v3/details timed out"):
        client.get_portal_id()


def test_open_circuit_fails_fast(mock_client: ClientFactory, clock: FakeClock) -> None:
    client = mock_client(
        always(hubspot_error(500, "boom")),
        retry=RetryPolicy(max_retries=1, circuit_threshold=4, sleep=clock.sleep, clock=clock),
    )
    for _ in range(2):
        with pytest.raises(ServerError):
            client.list_groups("contacts")
    sent = client.stats.requests
    with pytest.raises(RemoteUnavailable) as info:
        client.list_groups("contacts")
    assert str(info.value).startswith("circuit open after 4 consecutive failures")
    assert client.stats.requests == sent  # nothing was sent
    assert client.stats.circuit_open_rejections == 1


def test_other_statuses_are_plain_remote_errors(mock_client: ClientFactory) -> None:
    client = mock_client(always(hubspot_error(415, "Unsupported Media Type")))
    with pytest.raises(RemoteError) as info:
        client.list_groups("contacts")
    assert type(info.value) is RemoteError
    assert str(info.value).startswith(
        f"HubSpot answered 415 on GET {PROPS}/groups: Unsupported Media Type"
    )


def test_batch_item_errors_are_typed_and_named(mock_client: ClientFactory) -> None:
    answer = {
        "status": "COMPLETE",
        "results": [{"name": "ok_one", "label": "OK"}],
        "numErrors": 2,
        "errors": [
            {
                "status": "error",
                "category": "OBJECT_ALREADY_EXISTS",
                "message": "Property named 'taken' already exists.",
                "context": {"name": ["taken"]},
            },
            {
                "status": "error",
                "category": "VALIDATION_ERROR",
                "message": "bad_field has an invalid fieldType",
                "context": {},
            },
        ],
    }
    client = mock_client(always(httpx.Response(207, json=answer)))
    bodies = [{"name": n} for n in ("ok_one", "taken", "bad_field")]
    result = client.create_properties("contacts", bodies)
    assert result.results == [{"name": "ok_one", "label": "OK"}]
    assert [(e.name, type(e.error)) for e in result.errors] == [
        ("taken", Conflict),
        ("bad_field", ValidationFailed),
    ]
    assert "Property named 'taken' already exists." in str(result.errors[0].error)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html><body>Sign in to continue</body></html>"),
        httpx.Response(200, json={"message": "not a property list"}),
        httpx.Response(200, json={"results": "nope"}),
    ],
)
def test_a_list_without_results_is_an_error_not_an_empty_portal(
    mock_client: ClientFactory, answer: httpx.Response
) -> None:
    # A proxy page or a wrong --api-base must not read as "no properties at all": the plan
    # would then propose to create every property again.
    client = mock_client(always(answer))
    for lister in (client.list_properties, client.list_groups):
        with pytest.raises(RemoteError) as info:
            lister("contacts")
        message = str(info.value)
        assert "200" in message and "results" in message and "--api-base" in message


def test_a_half_open_trial_that_crashes_does_not_keep_the_circuit_open(
    mock_client: ClientFactory, clock: FakeClock
) -> None:
    """The one trial call after the cooldown ends in an unexpected error (not a network
    failure): the next call must be let through, not refused forever."""
    answers = iter(["500", "500", "crash", "ok"])

    def handler(request: httpx.Request) -> httpx.Response:
        step = next(answers)
        if step == "crash":
            raise RuntimeError("a bug below the client")
        if step == "500":
            return hubspot_error(500, "boom")
        return httpx.Response(200, json={"results": []})

    client = mock_client(
        handler,
        retry=RetryPolicy(
            max_retries=0,
            circuit_threshold=2,
            circuit_cooldown=30.0,
            sleep=clock.sleep,
            clock=clock,
        ),
    )
    for _ in range(2):
        with pytest.raises(ServerError):
            client.list_groups("contacts")
    clock.sleep(31.0)
    with pytest.raises(RuntimeError):
        client.list_groups("contacts")
    assert client.list_groups("contacts") == []
