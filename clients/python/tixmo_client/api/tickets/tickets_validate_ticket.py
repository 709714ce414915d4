from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.validate_request import ValidateRequest
from ...models.validation_read import ValidationRead
from typing import cast



def _get_kwargs(
    *,
    body: ValidateRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/tickets/validate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ValidationRead | None:
    if response.status_code == 200:
        response_200 = ValidationRead.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | ValidationRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ValidateRequest,

) -> Response[Problem | ValidationRead]:
    """ Check a barcode or qrData without checking the ticket in (org staff)

     Always 200 for a well-formed request by org staff: `valid`, `status` (VALID, USED, CANCELLED or
    INVALID) and a machine-readable `reason` (null when valid). A code of an event outside your
    organizations answers like an unknown one (`NOT_FOUND`, or `UNKNOWN_KEY` for qrData). A caller who
    is staff of no organization (nor a platform ADMIN) gets 403 `FORBIDDEN`.

    Args:
        body (ValidateRequest): Give ``barcode`` or ``qrData`` (exactly one); ``eventId`` checks
            the ticket is for that event.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ValidationRead]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: ValidateRequest,

) -> Problem | ValidationRead | None:
    """ Check a barcode or qrData without checking the ticket in (org staff)

     Always 200 for a well-formed request by org staff: `valid`, `status` (VALID, USED, CANCELLED or
    INVALID) and a machine-readable `reason` (null when valid). A code of an event outside your
    organizations answers like an unknown one (`NOT_FOUND`, or `UNKNOWN_KEY` for qrData). A caller who
    is staff of no organization (nor a platform ADMIN) gets 403 `FORBIDDEN`.

    Args:
        body (ValidateRequest): Give ``barcode`` or ``qrData`` (exactly one); ``eventId`` checks
            the ticket is for that event.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ValidationRead
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ValidateRequest,

) -> Response[Problem | ValidationRead]:
    """ Check a barcode or qrData without checking the ticket in (org staff)

     Always 200 for a well-formed request by org staff: `valid`, `status` (VALID, USED, CANCELLED or
    INVALID) and a machine-readable `reason` (null when valid). A code of an event outside your
    organizations answers like an unknown one (`NOT_FOUND`, or `UNKNOWN_KEY` for qrData). A caller who
    is staff of no organization (nor a platform ADMIN) gets 403 `FORBIDDEN`.

    Args:
        body (ValidateRequest): Give ``barcode`` or ``qrData`` (exactly one); ``eventId`` checks
            the ticket is for that event.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ValidationRead]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ValidateRequest,

) -> Problem | ValidationRead | None:
    """ Check a barcode or qrData without checking the ticket in (org staff)

     Always 200 for a well-formed request by org staff: `valid`, `status` (VALID, USED, CANCELLED or
    INVALID) and a machine-readable `reason` (null when valid). A code of an event outside your
    organizations answers like an unknown one (`NOT_FOUND`, or `UNKNOWN_KEY` for qrData). A caller who
    is staff of no organization (nor a platform ADMIN) gets 403 `FORBIDDEN`.

    Args:
        body (ValidateRequest): Give ``barcode`` or ``qrData`` (exactly one); ``eventId`` checks
            the ticket is for that event.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ValidationRead
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
