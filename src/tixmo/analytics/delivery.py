"""Scheduled reports: every subscription's report for each finished day or week, mailed once (PDF + CSV).

**Periods.** A ``DAILY`` period is a local day, a ``WEEKLY`` one a local ISO week (Monday to Monday), in the
subscription's time zone (UTC without one). The first period is the one that ends after the subscription
was created; a period is due once it has ended.

**Exactly one delivery per period** (``queue_due``, run by a periodic job every 15 minutes on any number of
workers): a due period is *claimed* by inserting ``(subscription, period_start)`` into
``analytics_report_deliveries`` with ``ON CONFLICT DO NOTHING … RETURNING``, in the transaction that also
queues the job that sends it. A second worker's insert of the same row waits for the first transaction
and then inserts nothing; if the first rolls back, the second claims it. Periods missed while no worker ran
are caught up (the last ``CATCH_UP`` of them).

**One sender at a time** (``deliver``): the delivery is taken with one conditional UPDATE (QUEUED, or
SENDING whose lease has run out → SENDING with a lease, one more attempt), committed before anything is
sent; the outcome is written only while that attempt still holds it. A worker that dies mid-send leaves
the delivery SENDING: its job is queued again by the surviving workers (``jobs.retry_stalled_jobs``), and
a run that meets a live lease queues a check for when it ends. As for every email (docs/notifications.md),
the one window where a mail can go out twice is a crash between the SMTP server's "250 OK" and the SENT
update; the repeat carries the same ``Message-ID`` (the delivery's id).
"""

from __future__ import annotations

import asyncio
import html
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage as MimeMessage
from email.utils import format_datetime, getaddresses
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tixmo import jobs
from tixmo.accounts.models import User
from tixmo.analytics import export_csv, pdf, service
from tixmo.analytics.filters import ReportFilters, resolve_for_organization
from tixmo.analytics.models import DeliveryStatus, Frequency, Report, ReportDelivery, ReportSubscription
from tixmo.config import Settings
from tixmo.db import utcnow
from tixmo.notifications.delivery import SEND_DEADLINE, lease
from tixmo.notifications.emails import header_text
from tixmo.notifications.mailer import MailBackend, MailError
from tixmo.organizations.models import Membership, Organization

log = structlog.get_logger(__name__)

DELIVER_REPORT = "analytics.deliver_report"
CATCH_UP = 7
BATCH = 500

TITLES = {
    Report.SALES: "Sales",
    Report.EVENTS: "Events",
    Report.CUSTOMERS: "Customers",
    Report.PROMO_CODES: "Promo codes",
    Report.DASHBOARD: "Dashboard",
    Report.FUNNEL: "Funnel",
    Report.PAYMENTS: "Payments",
}


# ------------------------------------------------------------------------------------------- periods


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def period_of(frequency: str, zone_name: str | None, moment: datetime) -> tuple[datetime, datetime]:
    """The period (day or ISO week, local) that holds ``moment``, as UTC instants ``[start, end)``."""
    zone = ZoneInfo(zone_name or "UTC")
    day = moment.astimezone(zone).date()
    if frequency == Frequency.WEEKLY.value:
        first = day - timedelta(days=day.weekday())
        return _midnight(first, zone), _midnight(first + timedelta(days=7), zone)
    return _midnight(day, zone), _midnight(day + timedelta(days=1), zone)


def due_periods(
    frequency: str, zone: str | None, created_at: datetime, last_end: datetime | None, now: datetime
) -> list[tuple[datetime, datetime]]:
    """The finished periods not claimed yet, oldest first: from the one holding ``created_at`` (or the
    one after the last claimed), at most the last ``CATCH_UP`` of them."""
    start, end = period_of(frequency, zone, last_end if last_end is not None else created_at)
    periods: list[tuple[datetime, datetime]] = []
    while end <= now:
        periods.append((start, end))
        start, end = period_of(frequency, zone, end)
    return periods[-CATCH_UP:]


# -------------------------------------------------------------------------------------- claiming


async def queue_due(
    session: AsyncSession, now: datetime, *, after: uuid.UUID | None = None
) -> tuple[int, uuid.UUID | None]:
    """Claim the due periods of up to ``BATCH`` active subscriptions (ids after ``after``) and queue their
    sending; returns (deliveries claimed, the last subscription id looked at, None when done)."""
    query = (
        select(
            ReportSubscription.id,
            ReportSubscription.frequency,
            ReportSubscription.timezone,
            ReportSubscription.created_at,
            select(func.max(ReportDelivery.period_end))
            .where(ReportDelivery.subscription_id == ReportSubscription.id)
            .scalar_subquery(),
        )
        .join(Organization, Organization.id == ReportSubscription.organization_id)
        .where(ReportSubscription.is_active.is_(True), Organization.deleted_at.is_(None))
        .order_by(ReportSubscription.id)
        .limit(BATCH)
    )
    if after is not None:
        query = query.where(ReportSubscription.id > after)
    subscriptions = (await session.execute(query)).all()
    rows: list[tuple[uuid.UUID, uuid.UUID, datetime, datetime]] = []
    for sub_id, frequency, zone, created_at, last_end in subscriptions:
        for start, end in due_periods(frequency, zone, created_at, last_end, now):
            rows.append((uuid.uuid4(), sub_id, start, end))
    claimed: list[uuid.UUID] = []
    if rows:
        result = await session.execute(
            text(
                "INSERT INTO analytics_report_deliveries (id, subscription_id, period_start, period_end) "
                "SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:subs AS uuid[]), "
                "CAST(:starts AS timestamptz[]), CAST(:ends AS timestamptz[])) "
                "ON CONFLICT (subscription_id, period_start) DO NOTHING RETURNING id"
            ),
            {
                "ids": [row[0] for row in rows],
                "subs": [row[1] for row in rows],
                "starts": [row[2] for row in rows],
                "ends": [row[3] for row in rows],
            },
        )
        claimed = [row[0] for row in result.all()]
        for delivery_id in claimed:
            await jobs.enqueue(session, DELIVER_REPORT, delivery_id=str(delivery_id))
    last = subscriptions[-1][0] if len(subscriptions) == BATCH else None
    return len(claimed), last


# --------------------------------------------------------------------------------------- sending


@dataclass
class Composed:
    subject: str
    recipients: list[str]
    text: str
    html: str
    attachments: list[tuple[str, bytes, str, str]]  # (filename, content, maintype, subtype)


async def _claim(session: AsyncSession, delivery_id: uuid.UUID, hold: timedelta) -> ReportDelivery | None:
    now = func.now()
    claimed: ReportDelivery | None = await session.scalar(
        update(ReportDelivery)
        .where(
            ReportDelivery.id == delivery_id,
            or_(
                ReportDelivery.status == DeliveryStatus.QUEUED.value,
                and_(
                    ReportDelivery.status == DeliveryStatus.SENDING.value, ReportDelivery.locked_until < now
                ),
            ),
        )
        .values(
            status=DeliveryStatus.SENDING.value, attempts=ReportDelivery.attempts + 1, locked_until=now + hold
        )
        .returning(ReportDelivery)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return claimed


async def _not_claimed(session: AsyncSession, delivery_id: uuid.UUID) -> str | None:
    """The status of a delivery this run could not take; under another sender's live lease, a check is
    queued for when it lapses (if that sender died, the check sends it)."""
    existing = await session.get(ReportDelivery, delivery_id, populate_existing=True)
    if existing is None:
        return None
    if existing.status == DeliveryStatus.SENDING.value and existing.locked_until is not None:
        await jobs.enqueue(
            session,
            DELIVER_REPORT,
            scheduled_at=existing.locked_until + timedelta(seconds=1),
            delivery_id=str(delivery_id),
        )
    return existing.status


async def _compose(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, delivery: ReportDelivery
) -> Composed | None:
    """The mail of ``delivery``; None when there is nobody to send it to (or it was switched off)."""
    async with service.snapshot(sessionmaker) as session:
        subscription = await session.get(ReportSubscription, delivery.subscription_id)
        if subscription is None or not subscription.is_active:
            return None
        organization = await session.get(Organization, subscription.organization_id)
        recipients = list(
            await session.scalars(
                select(User.email)
                .join(Membership, Membership.user_id == User.id)
                .where(
                    Membership.organization_id == subscription.organization_id,
                    User.id.in_(subscription.recipient_ids),
                    User.deleted_at.is_(None),
                )
                .order_by(User.email)
            )
        )
        if organization is None or organization.deleted_at is not None or not recipients:
            return None
        report_kind = Report(subscription.report)
        tz = subscription.timezone if report_kind != Report.FUNNEL else None
        filters = ReportFilters(
            organization_id=subscription.organization_id,
            event_id=subscription.event_id,
            start=delivery.period_start,
            end=delivery.period_end,
            tz=tz,
        )
        scope = await resolve_for_organization(session, filters)
        report = await service.build(
            session, report_kind, scope, views_lag_seconds=settings.page_view_flush_seconds
        )
        # Read before the snapshot ends (its rollback expires the loaded rows).
        org_name, org_id, zone_name = organization.name, subscription.organization_id, subscription.timezone
        daily = subscription.frequency == Frequency.DAILY.value
    zone = ZoneInfo(zone_name or "UTC")
    first = delivery.period_start.astimezone(zone).date()
    last = (delivery.period_end - timedelta(microseconds=1)).astimezone(zone).date()
    period = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    title = TITLES[report_kind]
    subject = f"{title} report, {period} - {org_name}"
    name = f"{service.PATH_OF[report_kind]}-{first.isoformat()}"
    document = await pdf.pdf_bytes(report, f"{org_name} - {period}", settings.pdf_font)
    table = export_csv.to_bytes(report)
    link = f"{settings.public_url}/api/v1/analytics/{service.PATH_OF[report_kind]}?organizationId={org_id}"
    body = (
        f"The {title.lower()} report of {org_name} for {period} "
        f"({'daily' if daily else 'weekly'}) is attached as a PDF "
        f"and as CSV.\n\nLive figures: {link}\n"
    )
    markup = (
        f"<p>The {html.escape(title.lower())} report of <strong>{html.escape(org_name)}</strong>"
        f" for {html.escape(period)} is attached as a PDF and as CSV.</p>"
        f'<p><a href="{html.escape(link)}">Live figures</a></p>'
    )
    return Composed(
        subject=subject,
        recipients=recipients,
        text=body,
        html=markup,
        attachments=[(f"{name}.pdf", document, "application", "pdf"), (f"{name}.csv", table, "text", "csv")],
    )


def mime(settings: Settings, delivery_id: uuid.UUID, composed: Composed) -> MimeMessage:
    """The message; its ``Message-ID`` derives from the delivery's id, so a repeat carries the same one."""
    mail = MimeMessage()
    mail["Subject"] = header_text(composed.subject)
    mail["From"] = settings.email_from
    mail["To"] = ", ".join(composed.recipients)
    mail["Date"] = format_datetime(utcnow())
    addresses = getaddresses([settings.email_from])
    domain = addresses[0][1].rpartition("@")[2] if addresses and "@" in addresses[0][1] else "tixmo.localhost"
    mail["Message-ID"] = f"<report-{delivery_id}@{domain}>"
    mail["X-TixMo-Kind"] = "analytics.report"
    mail.set_content(composed.text)
    mail.add_alternative(composed.html, subtype="html")
    for filename, content, maintype, subtype in composed.attachments:
        if maintype == "text":
            mail.add_attachment(content.decode(), subtype=subtype, filename=filename)
        else:
            mail.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return mail


async def _record(
    sessionmaker: async_sessionmaker[AsyncSession],
    delivery_id: uuid.UUID,
    attempt: int,
    status: DeliveryStatus,
    error: str | None = None,
    recipients: list[str] | None = None,
) -> bool:
    """The outcome of attempt ``attempt``, written only while that attempt still holds the delivery."""
    values: dict[str, object] = {"status": status.value, "locked_until": None, "last_error": error}
    if status == DeliveryStatus.SENT:
        values["sent_at"] = utcnow()
    if recipients is not None:
        values["recipients"] = recipients
    async with sessionmaker() as session, session.begin():
        recorded = await session.scalar(
            update(ReportDelivery)
            .where(
                ReportDelivery.id == delivery_id,
                ReportDelivery.status == DeliveryStatus.SENDING.value,
                ReportDelivery.attempts == attempt,
            )
            .values(**values)
            .returning(ReportDelivery.id)
            .execution_options(synchronize_session=False)
        )
    if recorded is None:
        log.error("analytics.delivery_claim_lost", delivery_id=str(delivery_id), attempt=attempt)
    return recorded is not None


async def deliver(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    backend: MailBackend,
    delivery_id: uuid.UUID,
    *,
    final_attempt: bool,
) -> str | None:
    """Send one period's report if nobody else holds it; returns its status afterwards (None: unknown).
    Raises ``MailError`` when sending failed in a way worth retrying (the job retries it; on the
    ``final_attempt`` the delivery is FAILED first)."""
    async with sessionmaker() as session, session.begin():
        delivery = await _claim(session, delivery_id, lease(settings))
        if delivery is None:
            return await _not_claimed(session, delivery_id)
        attempt = delivery.attempts
    deadline = asyncio.timeout(SEND_DEADLINE.total_seconds())
    try:
        async with deadline:
            composed = await _compose(sessionmaker, settings, delivery)
            if composed is None:
                await _record(sessionmaker, delivery_id, attempt, DeliveryStatus.SKIPPED)
                return DeliveryStatus.SKIPPED.value
            await backend.send(mime(settings, delivery_id, composed), name=f"report-{delivery_id}")
    except (MailError, TimeoutError) as exc:
        error = exc if isinstance(exc, MailError) else MailError(f"not sent within {SEND_DEADLINE}")
        failed = final_attempt or error.permanent
        status = DeliveryStatus.FAILED if failed else DeliveryStatus.QUEUED
        await _record(sessionmaker, delivery_id, attempt, status, str(error)[:2000])
        if error.permanent:
            log.warning("analytics.delivery_refused", delivery_id=str(delivery_id), error=str(error))
            return status.value
        raise error from exc
    except Exception as exc:  # a bug: retrying would not help
        await _record(sessionmaker, delivery_id, attempt, DeliveryStatus.FAILED, repr(exc)[:2000])
        raise
    await _record(sessionmaker, delivery_id, attempt, DeliveryStatus.SENT, recipients=composed.recipients)
    log.info("analytics.report_sent", delivery_id=str(delivery_id), recipients=len(composed.recipients))
    return DeliveryStatus.SENT.value
