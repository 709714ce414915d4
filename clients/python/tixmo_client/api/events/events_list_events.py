from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.event_category import EventCategory
from ...models.event_status import EventStatus
from ...models.events_list_events_sort_type_0 import EventsListEventsSortType0
from ...models.page_event_read import PageEventRead
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime



def _get_kwargs(
    *,
    q: None | str | Unset = UNSET,
    category: EventCategory | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    venue_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    status: EventStatus | None | Unset = UNSET,
    sort: EventsListEventsSortType0 | None | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_category: None | str | Unset
    if isinstance(category, Unset):
        json_category = UNSET
    elif isinstance(category, EventCategory):
        json_category = category.value
    else:
        json_category = category
    params["category"] = json_category

    json_tag: list[str] | None | Unset
    if isinstance(tag, Unset):
        json_tag = UNSET
    elif isinstance(tag, list):
        json_tag = tag


    else:
        json_tag = tag
    params["tag"] = json_tag

    json_venue_id: None | str | Unset
    if isinstance(venue_id, Unset):
        json_venue_id = UNSET
    elif isinstance(venue_id, UUID):
        json_venue_id = str(venue_id)
    else:
        json_venue_id = venue_id
    params["venueId"] = json_venue_id

    json_organization_id: None | str | Unset
    if isinstance(organization_id, Unset):
        json_organization_id = UNSET
    elif isinstance(organization_id, UUID):
        json_organization_id = str(organization_id)
    else:
        json_organization_id = organization_id
    params["organizationId"] = json_organization_id

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

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, EventStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_sort: None | str | Unset
    if isinstance(sort, Unset):
        json_sort = UNSET
    elif isinstance(sort, EventsListEventsSortType0):
        json_sort = sort.value
    else:
        json_sort = sort
    params["sort"] = json_sort

    params["page"] = page

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PageEventRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageEventRead.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PageEventRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    category: EventCategory | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    venue_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    status: EventStatus | None | Unset = UNSET,
    sort: EventsListEventsSortType0 | None | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> Response[PageEventRead | Problem]:
    """ Search and list events

     Without a token: PUBLISHED events only. Org staff also see their organizations' events in every
    status; ADMIN sees all. `q` is a full-text prefix search over name and description (every word must
    match; results ordered by relevance unless `sort` is given). `from` is inclusive and `to` exclusive,
    both on `startsAt`. Several `tag` parameters must all match.

    Args:
        q (None | str | Unset): Words to search for.
        category (EventCategory | None | Unset):
        tag (list[str] | None | Unset): A tag (repeatable).
        venue_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset): startsAt ≥ from (UTC without an offset).
        to (datetime.datetime | None | Unset): startsAt < to (UTC without an offset).
        status (EventStatus | None | Unset):
        sort (EventsListEventsSortType0 | None | Unset):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageEventRead | Problem]
     """


    kwargs = _get_kwargs(
        q=q,
category=category,
tag=tag,
venue_id=venue_id,
organization_id=organization_id,
from_=from_,
to=to,
status=status,
sort=sort,
page=page,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    category: EventCategory | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    venue_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    status: EventStatus | None | Unset = UNSET,
    sort: EventsListEventsSortType0 | None | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> PageEventRead | Problem | None:
    """ Search and list events

     Without a token: PUBLISHED events only. Org staff also see their organizations' events in every
    status; ADMIN sees all. `q` is a full-text prefix search over name and description (every word must
    match; results ordered by relevance unless `sort` is given). `from` is inclusive and `to` exclusive,
    both on `startsAt`. Several `tag` parameters must all match.

    Args:
        q (None | str | Unset): Words to search for.
        category (EventCategory | None | Unset):
        tag (list[str] | None | Unset): A tag (repeatable).
        venue_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset): startsAt ≥ from (UTC without an offset).
        to (datetime.datetime | None | Unset): startsAt < to (UTC without an offset).
        status (EventStatus | None | Unset):
        sort (EventsListEventsSortType0 | None | Unset):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageEventRead | Problem
     """


    return sync_detailed(
        client=client,
q=q,
category=category,
tag=tag,
venue_id=venue_id,
organization_id=organization_id,
from_=from_,
to=to,
status=status,
sort=sort,
page=page,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    category: EventCategory | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    venue_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    status: EventStatus | None | Unset = UNSET,
    sort: EventsListEventsSortType0 | None | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> Response[PageEventRead | Problem]:
    """ Search and list events

     Without a token: PUBLISHED events only. Org staff also see their organizations' events in every
    status; ADMIN sees all. `q` is a full-text prefix search over name and description (every word must
    match; results ordered by relevance unless `sort` is given). `from` is inclusive and `to` exclusive,
    both on `startsAt`. Several `tag` parameters must all match.

    Args:
        q (None | str | Unset): Words to search for.
        category (EventCategory | None | Unset):
        tag (list[str] | None | Unset): A tag (repeatable).
        venue_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset): startsAt ≥ from (UTC without an offset).
        to (datetime.datetime | None | Unset): startsAt < to (UTC without an offset).
        status (EventStatus | None | Unset):
        sort (EventsListEventsSortType0 | None | Unset):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageEventRead | Problem]
     """


    kwargs = _get_kwargs(
        q=q,
category=category,
tag=tag,
venue_id=venue_id,
organization_id=organization_id,
from_=from_,
to=to,
status=status,
sort=sort,
page=page,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    category: EventCategory | None | Unset = UNSET,
    tag: list[str] | None | Unset = UNSET,
    venue_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    status: EventStatus | None | Unset = UNSET,
    sort: EventsListEventsSortType0 | None | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> PageEventRead | Problem | None:
    """ Search and list events

     Without a token: PUBLISHED events only. Org staff also see their organizations' events in every
    status; ADMIN sees all. `q` is a full-text prefix search over name and description (every word must
    match; results ordered by relevance unless `sort` is given). `from` is inclusive and `to` exclusive,
    both on `startsAt`. Several `tag` parameters must all match.

    Args:
        q (None | str | Unset): Words to search for.
        category (EventCategory | None | Unset):
        tag (list[str] | None | Unset): A tag (repeatable).
        venue_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset): startsAt ≥ from (UTC without an offset).
        to (datetime.datetime | None | Unset): startsAt < to (UTC without an offset).
        status (EventStatus | None | Unset):
        sort (EventsListEventsSortType0 | None | Unset):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageEventRead | Problem
     """


    return (await asyncio_detailed(
        client=client,
q=q,
category=category,
tag=tag,
venue_id=venue_id,
organization_id=organization_id,
from_=from_,
to=to,
status=status,
sort=sort,
page=page,
limit=limit,

    )).parsed
