"""Scanner and check-in request/response schemas (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Self

from fastapi import Path
from pydantic import Field, StringConstraints, model_validator

from tixmo.checkin.models import Direction, ScanSource, ScanStatus
from tixmo.schemas import AnyInstant, CamelModel, OneLine, ReadModel, UpdateModel
from tixmo.tickets.schemas import TicketRead

MAX_SYNC_SCANS = 10_000

ScannerIdPath = Annotated[uuid.UUID, Path(alias="scannerId")]
ScannerName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine]
# Longer than any TixMo barcode (26) or qrData: an unknown code still gets its INVALID answer.
AnyBarcode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=256)]
AnyQrData = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1024)]
ClientScanId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")
]


class ScannerCreate(CamelModel):
    event_id: uuid.UUID
    name: ScannerName


class ScannerRead(ReadModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    event_id: uuid.UUID
    name: str
    enabled: bool
    api_key_prefix: str = Field(description="The key's first characters, to tell devices apart.")
    last_seen_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ScannerUpdate(UpdateModel):
    read_model = ScannerRead

    name: ScannerName | None = None
    enabled: bool | None = None


class ScannerRegistered(ReadModel):
    scanner: ScannerRead
    api_key: str = Field(description="Shown this once; TixMo keeps only its hash.")


class ScannerAuthRequest(CamelModel):
    api_key: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ScannerToken(ReadModel):
    token: str
    expires_at: datetime
    scanner_id: uuid.UUID
    event_id: uuid.UUID


class _Code(CamelModel):
    barcode: AnyBarcode | None = None
    qr_data: AnyQrData | None = None

    def code_error(self) -> tuple[str, str] | None:
        """(field, message) when the scan does not name exactly one code."""
        if self.barcode is not None and self.qr_data is not None:
            return "qrData", "Give either barcode or qrData, not both."
        if self.barcode is None and self.qr_data is None:
            return "barcode", "Give barcode or qrData."
        return None


class ScanRequest(_Code):
    direction: Direction
    scanned_at: AnyInstant | None = Field(
        default=None,
        description="The device's clock when it read the code. Stored and answered as `clientScannedAt` "
        "(answer and log); an online scan is still judged and ordered at the moment the server receives "
        "it (`scannedAt` of the answer).",
    )
    client_scan_id: ClientScanId | None = Field(
        default=None, description="Makes a retried scan idempotent: the same id replays the first answer."
    )


class ConflictWith(ReadModel):
    scan_id: int
    scanner_id: uuid.UUID | None
    scanned_at: datetime


CLIENT_SCANNED_AT = "The device's clock as sent in the request's `scannedAt` (null when it sent none)."


class ScanResult(ReadModel):
    status: ScanStatus
    message: str
    ticket: TicketRead | None = None
    scan_id: int
    direction: Direction
    scanned_at: datetime = Field(description="When the scan took place in the history: the server's time.")
    client_scanned_at: datetime | None = Field(default=None, description=CLIENT_SCANNED_AT)
    conflict: bool = False
    conflicts_with: ConflictWith | None = None
    replayed: bool = Field(default=False, description="True when clientScanId named an earlier scan.")


class OfflineScan(_Code):
    client_scan_id: ClientScanId
    direction: Direction
    scanned_at: AnyInstant

    @model_validator(mode="after")
    def _one_code(self) -> Self:
        problem = self.code_error()
        if problem is not None:
            raise ValueError(f"{problem[0]}: {problem[1]}")
        return self


class SyncUpload(CamelModel):
    scans: Annotated[list[OfflineScan], Field(max_length=MAX_SYNC_SCANS)]


class SyncOutcome(ReadModel):
    client_scan_id: str
    scan_id: int
    status: ScanStatus
    message: str
    ticket_id: uuid.UUID | None
    direction: Direction
    scanned_at: datetime = Field(description="The device's `scannedAt`, clamped to `receivedAt`.")
    client_scanned_at: datetime | None = Field(description="The device's `scannedAt` as sent.")
    conflict: bool
    conflicts_with: ConflictWith | None
    replayed: bool


class SyncResult(ReadModel):
    event_id: uuid.UUID
    received_at: datetime
    results: list[SyncOutcome]
    counts: dict[str, int] = Field(description="Outcomes by status, and `replayed`.")


class PublicKeyRead(ReadModel):
    key_id: str
    algorithm: str
    public_key: str


class BundleTicket(ReadModel):
    ticket_id: uuid.UUID
    barcode_hash: str
    status: str
    ticket_type_id: uuid.UUID
    inside: bool


class SyncBundle(ReadModel):
    event_id: uuid.UUID
    public_keys: list[PublicKeyRead]
    tickets: list[BundleTicket]
    revoked: list[str]
    synced_at: datetime
    full: bool = Field(description="True when `tickets` is the whole list (no `since`), else the changes.")


class ScanLogRead(ReadModel):
    id: int
    event_id: uuid.UUID
    scanner_id: uuid.UUID | None
    ticket_id: uuid.UUID | None
    actor_id: uuid.UUID | None
    direction: Direction
    status: ScanStatus
    source: ScanSource
    message: str
    scanned_at: datetime
    client_scanned_at: datetime | None = Field(description=CLIENT_SCANNED_AT)
    received_at: datetime
    client_scan_id: str | None
    conflict: bool
    conflicts_with: ConflictWith | None


# ---------------------------------------------------------------------------------------- stats


class ScanCounts(ReadModel):
    total: int
    valid: int
    rejected: int
    success_rate: float | None


class WaitlistSize(ReadModel):
    waiting: int = Field(description="Entries WAITING for tickets.")
    waiting_tickets: int
    offered: int = Field(description="Entries holding an offer.")
    offered_tickets: int


class EventStats(ReadModel):
    event_id: uuid.UUID
    capacity: int | None
    tickets_sold: int
    tickets_used: int
    tickets_cancelled: int
    entries: int
    exits: int
    occupancy: int
    capacity_utilization: float | None
    scans: ScanCounts
    last_scan_at: datetime | None
    waitlist: WaitlistSize = Field(description="The event's waitlist now (docs/waitlist.md).")


class Occupancy(ReadModel):
    event_id: uuid.UUID
    occupancy: int
    capacity: int | None
    entries: int
    exits: int
    utilization: float | None
    updated_at: datetime


class TimelineHour(ReadModel):
    hour: str = Field(description="The hour's start in the event's time zone, ISO 8601 with offset.")
    entries: int
    exits: int
    occupancy: int


class Timeline(ReadModel):
    event_id: uuid.UUID
    timezone: str
    data: list[TimelineHour]


class ScannerStat(ReadModel):
    scanner_id: uuid.UUID
    name: str
    scans: int
    valid: int
    rejected: int
    last_seen_at: datetime | None
    online: bool


class LiveTicketRead(ReadModel):
    ticket: str
    expires_at: datetime
