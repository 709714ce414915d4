from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.body_images_upload_event_image import BodyImagesUploadEventImage
from ...models.image_read import ImageRead
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    event_id: UUID,
    *,
    body: BodyImagesUploadEventImage,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/events/{event_id}/images".format(event_id=quote(str(event_id), safe=""),),
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ImageRead | Problem | None:
    if response.status_code == 201:
        response_201 = ImageRead.from_dict(response.json())



        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())



        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())



        return response_502

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ImageRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    event_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BodyImagesUploadEventImage,

) -> Response[ImageRead | Problem]:
    """ Upload an image of an event (org staff)

     Multipart form: `file`, `role`, `alt`. The image is stored without its metadata (EXIF, GPS, XMP) and
    turned upright; `urls` and `webpUrls` point to a placeholder until its renditions are made (a job,
    seconds later: `renditionStatus` becomes READY). Refused: anything but JPEG, PNG or WebP (415), a
    file over TIXMO_IMAGE_MAX_BYTES or a decompression bomb (413), more pixels than
    TIXMO_IMAGE_MAX_PIXELS (422 naming `file`), a 51st image (409).

    Args:
        event_id (UUID):
        body (BodyImagesUploadEventImage):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImageRead | Problem]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    event_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BodyImagesUploadEventImage,

) -> ImageRead | Problem | None:
    """ Upload an image of an event (org staff)

     Multipart form: `file`, `role`, `alt`. The image is stored without its metadata (EXIF, GPS, XMP) and
    turned upright; `urls` and `webpUrls` point to a placeholder until its renditions are made (a job,
    seconds later: `renditionStatus` becomes READY). Refused: anything but JPEG, PNG or WebP (415), a
    file over TIXMO_IMAGE_MAX_BYTES or a decompression bomb (413), more pixels than
    TIXMO_IMAGE_MAX_PIXELS (422 naming `file`), a 51st image (409).

    Args:
        event_id (UUID):
        body (BodyImagesUploadEventImage):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImageRead | Problem
     """


    return sync_detailed(
        event_id=event_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    event_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BodyImagesUploadEventImage,

) -> Response[ImageRead | Problem]:
    """ Upload an image of an event (org staff)

     Multipart form: `file`, `role`, `alt`. The image is stored without its metadata (EXIF, GPS, XMP) and
    turned upright; `urls` and `webpUrls` point to a placeholder until its renditions are made (a job,
    seconds later: `renditionStatus` becomes READY). Refused: anything but JPEG, PNG or WebP (415), a
    file over TIXMO_IMAGE_MAX_BYTES or a decompression bomb (413), more pixels than
    TIXMO_IMAGE_MAX_PIXELS (422 naming `file`), a 51st image (409).

    Args:
        event_id (UUID):
        body (BodyImagesUploadEventImage):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImageRead | Problem]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    event_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BodyImagesUploadEventImage,

) -> ImageRead | Problem | None:
    """ Upload an image of an event (org staff)

     Multipart form: `file`, `role`, `alt`. The image is stored without its metadata (EXIF, GPS, XMP) and
    turned upright; `urls` and `webpUrls` point to a placeholder until its renditions are made (a job,
    seconds later: `renditionStatus` becomes READY). Refused: anything but JPEG, PNG or WebP (415), a
    file over TIXMO_IMAGE_MAX_BYTES or a decompression bomb (413), more pixels than
    TIXMO_IMAGE_MAX_PIXELS (422 naming `file`), a 51st image (409).

    Args:
        event_id (UUID):
        body (BodyImagesUploadEventImage):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImageRead | Problem
     """


    return (await asyncio_detailed(
        event_id=event_id,
client=client,
body=body,

    )).parsed
