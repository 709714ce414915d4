from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.export_format import ExportFormat
from ...models.problem import Problem
from ...models.sales_report import SalesReport
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime



def _get_kwargs(
    *,
    format_: ExportFormat | Unset = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    event_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    tz: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_organization_id: None | str | Unset
    if isinstance(organization_id, Unset):
        json_organization_id = UNSET
    elif isinstance(organization_id, UUID):
        json_organization_id = str(organization_id)
    else:
        json_organization_id = organization_id
    params["organizationId"] = json_organization_id

    json_event_id: None | str | Unset
    if isinstance(event_id, Unset):
        json_event_id = UNSET
    elif isinstance(event_id, UUID):
        json_event_id = str(event_id)
    else:
        json_event_id = event_id
    params["eventId"] = json_event_id

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    json_tz: None | str | Unset
    if isinstance(tz, Unset):
        json_tz = UNSET
    else:
        json_tz = tz
    params["tz"] = json_tz


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/sales",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SalesReport | None:
    if response.status_code == 200:
        response_200 = SalesReport.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | SalesReport]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    format_: ExportFormat | Unset = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    event_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    tz: None | str | Unset = UNSET,

) -> Response[Problem | SalesReport]:
    """ Sales: gross, discounts, refunds, net; orders and tickets; by day, event and ticket type

     Org staff for their organizations (without `organizationId`: all of them); ADMIN for every
    organization. A caller who is staff of no organization: 403. An `organizationId` or `eventId` the
    caller may not see: 404 (an ADMIN naming one that does not exist: 422). `from` (inclusive) and `to`
    (exclusive) select orders by the time they were paid (default: the 30 days before now); days are cut
    in each event's time zone unless `tz` names another. Money never adds up two currencies.
    `format=csv` streams the same figures as one long table (`section,key,label,currency,metric,value`);
    `format=pdf` renders one page with the key figures and a chart. See docs/analytics.md.

    Args:
        format_ (ExportFormat | Unset):
        organization_id (None | Unset | UUID):
        event_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset): Paid at or after (UTC without an offset).
        to (datetime.datetime | None | Unset): Paid before (UTC without an offset).
        tz (None | str | Unset): IANA time zone that cuts the days, e.g. Europe/Berlin.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SalesReport]
     """


    kwargs = _get_kwargs(
        format_=format_,
organization_id=organization_id,
event_id=event_id,
from_=from_,
to=to,
tz=tz,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    format_: ExportFormat | Unset = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    event_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    tz: None | str | Unset = UNSET,

) -> Problem | SalesReport | None:
    """ Sales: gross, discounts, refunds, net; orders and tickets; by day, event and ticket type

     Org staff for their organizations (without `organizationId`: all of them); ADMIN for every
    organization. A caller who is staff of no organization: 403. An `organizationId` or `eventId` the
    caller may not see: 404 (an ADMIN naming one that does not exist: 422). `from` (inclusive) and `to`
    (exclusive) select orders by the time they were paid (default: the 30 days before now); days are cut
    in each event's time zone unless `tz` names another. Money never adds up two currencies.
    `format=csv` streams the same figures as one long table (`section,key,label,currency,metric,value`);
    `format=pdf` renders one page with the key figures and a chart. See docs/analytics.md.

    Args:
        format_ (ExportFormat | Unset):
        organization_id (None | Unset | UUID):
        event_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset): Paid at or after (UTC without an offset).
        to (datetime.datetime | None | Unset): Paid before (UTC without an offset).
        tz (None | str | Unset): IANA time zone that cuts the days, e.g. Europe/Berlin.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SalesReport
     """


    return sync_detailed(
        client=client,
format_=format_,
organization_id=organization_id,
event_id=event_id,
from_=from_,
to=to,
tz=tz,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    format_: ExportFormat | Unset = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    event_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    tz: None | str | Unset = UNSET,

) -> Response[Problem | SalesReport]:
    """ Sales: gross, discounts, refunds, net; orders and tickets; by day, event and ticket type

     Org staff for their organizations (without `organizationId`: all of them); ADMIN for every
    organization. A caller who is staff of no organization: 403. An `organizationId` or `eventId` the
    caller may not see: 404 (an ADMIN naming one that does not exist: 422). `from` (inclusive) and `to`
    (exclusive) select orders by the time they were paid (default: the 30 days before now); days are cut
    in each event's time zone unless `tz` names another. Money never adds up two currencies.
    `format=csv` streams the same figures as one long table (`section,key,label,currency,metric,value`);
    `format=pdf` renders one page with the key figures and a chart. See docs/analytics.md.

    Args:
        format_ (ExportFormat | Unset):
        organization_id (None | Unset | UUID):
        event_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset): Paid at or after (UTC without an offset).
        to (datetime.datetime | None | Unset): Paid before (UTC without an offset).
        tz (None | str | Unset): IANA time zone that cuts the days, e.g. Europe/Berlin.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SalesReport]
     """


    kwargs = _get_kwargs(
        format_=format_,
organization_id=organization_id,
event_id=event_id,
from_=from_,
to=to,
tz=tz,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    format_: ExportFormat | Unset = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    event_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    tz: None | str | Unset = UNSET,

) -> Problem | SalesReport | None:
    """ Sales: gross, discounts, refunds, net; orders and tickets; by day, event and ticket type

     Org staff for their organizations (without `organizationId`: all of them); ADMIN for every
    organization. A caller who is staff of no organization: 403. An `organizationId` or `eventId` the
    caller may not see: 404 (an ADMIN naming one that does not exist: 422). `from` (inclusive) and `to`
    (exclusive) select orders by the time they were paid (default: the 30 days before now); days are cut
    in each event's time zone unless `tz` names another. Money never adds up two currencies.
    `format=csv` streams the same figures as one long table (`section,key,label,currency,metric,value`);
    `format=pdf` renders one page with the key figures and a chart. See docs/analytics.md.

    Args:
        format_ (ExportFormat | Unset):
        organization_id (None | Unset | UUID):
        event_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset): Paid at or after (UTC without an offset).
        to (datetime.datetime | None | Unset): Paid before (UTC without an offset).
        tz (None | str | Unset): IANA time zone that cuts the days, e.g. Europe/Berlin.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SalesReport
     """


    return (await asyncio_detailed(
        client=client,
format_=format_,
organization_id=organization_id,
event_id=event_id,
from_=from_,
to=to,
tz=tz,

    )).parsed
