"""``/organizations/{id}/api-keys``, ``/organizations/{id}/webhooks`` and ``/webhooks/{id}``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from tixmo.config import Environment
from tixmo.deps import Context, CurrentUser, DbSession
from tixmo.errors import problems
from tixmo.integrations import apikeys, webhooks
from tixmo.integrations.models import WebhookDelivery
from tixmo.integrations.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    ApiKeyTier,
    DeliveryRead,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
    WebhookUpdate,
)
from tixmo.schemas import OrganizationIdPath, Page, Pagination

router = APIRouter(tags=["integrations"])

KeyIdPath = Annotated[uuid.UUID, Path(alias="keyId")]
WebhookIdPath = Annotated[uuid.UUID, Path(alias="webhookId")]
DeliveryIdPath = Annotated[uuid.UUID, Path(alias="deliveryId")]


@router.post(
    "/organizations/{organizationId}/api-keys",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses=problems(401, 403, 404, 422),
    summary="Create an API key (org OWNER/ADMIN); the key is shown only in this answer",
)
async def create_api_key(
    organization_id: OrganizationIdPath,
    body: ApiKeyCreate,
    actor: CurrentUser,
    session: DbSession,
    context: Context,
) -> ApiKeyCreated:
    key, secret = await apikeys.create(
        session,
        actor,
        organization_id,
        name=body.name,
        scopes=body.scopes,
        expires_at=body.expires_at,
        live=context.settings.env == Environment.PRODUCTION,
    )
    return ApiKeyCreated(api_key=ApiKeyRead.model_validate(key), key=secret)


@router.get(
    "/organizations/{organizationId}/api-keys",
    response_model=Page[ApiKeyRead],
    responses=problems(401, 403, 404),
    summary="The organization's API keys that are not revoked (org OWNER/ADMIN)",
)
async def list_api_keys(
    organization_id: OrganizationIdPath, actor: CurrentUser, session: DbSession, paging: Pagination
) -> Page[ApiKeyRead]:
    keys = await apikeys.list_for(session, actor, organization_id)
    page = keys[paging.offset : paging.offset + paging.limit]
    return paging.build([ApiKeyRead.model_validate(key) for key in page], len(keys))


@router.delete(
    "/organizations/{organizationId}/api-keys/{keyId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 403, 404),
    summary="Revoke an API key: it fails (401) from now on",
)
async def revoke_api_key(
    organization_id: OrganizationIdPath, key_id: KeyIdPath, actor: CurrentUser, session: DbSession
) -> Response:
    await apikeys.revoke(session, actor, organization_id, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/organizations/{organizationId}/api-keys/{keyId}/tier",
    response_model=ApiKeyRead,
    responses=problems(401, 403, 404, 422),
    summary="Set an API key's rate-limit tier (platform ADMIN; null: the default tier)",
)
async def set_api_key_tier(
    organization_id: OrganizationIdPath,
    key_id: KeyIdPath,
    body: ApiKeyTier,
    actor: CurrentUser,
    session: DbSession,
) -> ApiKeyRead:
    key = await apikeys.set_tier(session, actor, organization_id, key_id, body.rate_limit_per_minute)
    return ApiKeyRead.model_validate(key)


@router.post(
    "/organizations/{organizationId}/webhooks",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    responses=problems(401, 403, 404, 422),
    summary="Add a webhook endpoint (org OWNER/ADMIN); the secret is shown only in this answer",
)
async def create_webhook(
    organization_id: OrganizationIdPath,
    body: WebhookCreate,
    actor: CurrentUser,
    session: DbSession,
    context: Context,
) -> WebhookCreated:
    endpoint, secret = await webhooks.create(
        session,
        actor,
        organization_id,
        context.settings,
        url=str(body.url),
        events=body.events,
        enabled=body.enabled,
        description=body.description,
    )
    return WebhookCreated(webhook=WebhookRead.model_validate(endpoint), secret=secret)


@router.get(
    "/organizations/{organizationId}/webhooks",
    response_model=Page[WebhookRead],
    responses=problems(401, 403, 404),
    summary="The organization's webhook endpoints (org OWNER/ADMIN)",
)
async def list_webhooks(
    organization_id: OrganizationIdPath, actor: CurrentUser, session: DbSession, paging: Pagination
) -> Page[WebhookRead]:
    endpoints = await webhooks.list_for(session, actor, organization_id)
    page = endpoints[paging.offset : paging.offset + paging.limit]
    return paging.build([WebhookRead.model_validate(e) for e in page], len(endpoints))


@router.get(
    "/webhooks/{webhookId}",
    response_model=WebhookRead,
    responses=problems(401, 403, 404),
    summary="Get a webhook",
)
async def get_webhook(webhook_id: WebhookIdPath, actor: CurrentUser, session: DbSession) -> WebhookRead:
    return WebhookRead.model_validate(await webhooks.get_managed(session, actor, webhook_id))


@router.put(
    "/webhooks/{webhookId}",
    response_model=WebhookRead,
    responses=problems(401, 403, 404, 422),
    summary="Update a webhook (partial); enabling it again clears the reason it was disabled",
)
async def update_webhook(
    webhook_id: WebhookIdPath, body: WebhookUpdate, actor: CurrentUser, session: DbSession, context: Context
) -> WebhookRead:
    changes = body.model_dump(exclude_unset=True, by_alias=False)
    for field in ("url", "events", "enabled"):
        if field in changes and changes[field] is None:
            del changes[field]
    if "url" in changes:
        changes["url"] = str(changes["url"])
    endpoint = await webhooks.update(session, actor, webhook_id, context.settings, changes)
    return WebhookRead.model_validate(endpoint)


@router.delete(
    "/webhooks/{webhookId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 403, 404),
    summary="Delete a webhook and its delivery log",
)
async def delete_webhook(webhook_id: WebhookIdPath, actor: CurrentUser, session: DbSession) -> Response:
    await webhooks.delete(session, actor, webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/webhooks/{webhookId}/rotate-secret",
    response_model=WebhookCreated,
    responses=problems(401, 403, 404),
    summary="A new signing secret; the old one still signs during the overlap window",
)
async def rotate_webhook_secret(
    webhook_id: WebhookIdPath, actor: CurrentUser, session: DbSession, context: Context
) -> WebhookCreated:
    endpoint, secret = await webhooks.rotate_secret(session, actor, webhook_id, context.settings)
    return WebhookCreated(webhook=WebhookRead.model_validate(endpoint), secret=secret)


def _delivery(delivery: WebhookDelivery, type_: str) -> DeliveryRead:
    return DeliveryRead(
        id=delivery.id,
        event_id=delivery.event_id,
        type=type_,
        status=delivery.status,
        response_code=delivery.response_code,
        duration_ms=delivery.duration_ms,
        attempt=delivery.attempt,
        response_excerpt=delivery.response_excerpt,
        error=delivery.error,
        created_at=delivery.created_at,
    )


@router.get(
    "/webhooks/{webhookId}/deliveries",
    response_model=Page[DeliveryRead],
    responses=problems(401, 403, 404),
    summary="The delivery log, newest first: one entry per attempt",
)
async def list_deliveries(
    webhook_id: WebhookIdPath, actor: CurrentUser, session: DbSession, paging: Pagination
) -> Page[DeliveryRead]:
    rows, total = await webhooks.deliveries(
        session, actor, webhook_id, offset=paging.offset, limit=paging.limit
    )
    return paging.build([_delivery(d, t) for d, t in rows], total)


@router.post(
    "/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliveryRead,
    responses=problems(401, 403, 404, 409),
    summary="Send a logged event again (same event id and payload); answers the new PENDING delivery",
)
async def redeliver(
    webhook_id: WebhookIdPath, delivery_id: DeliveryIdPath, actor: CurrentUser, session: DbSession
) -> DeliveryRead:
    delivery, type_ = await webhooks.redeliver(session, actor, webhook_id, delivery_id)
    return _delivery(delivery, type_)
