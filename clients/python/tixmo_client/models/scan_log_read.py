from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.direction import Direction
from ..models.scan_source import ScanSource
from ..models.scan_status import ScanStatus
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.conflict_with import ConflictWith





T = TypeVar("T", bound="ScanLogRead")



@_attrs_define
class ScanLogRead:
    """ 
        Attributes:
            actor_id (None | UUID):
            client_scan_id (None | str):
            client_scanned_at (datetime.datetime | None): The device's clock as sent in the request's `scannedAt` (null when
                it sent none).
            conflict (bool):
            conflicts_with (ConflictWith | None):
            direction (Direction):
            event_id (UUID):
            id (int):
            message (str):
            received_at (datetime.datetime):
            scanned_at (datetime.datetime):
            scanner_id (None | UUID):
            source (ScanSource):
            status (ScanStatus):
            ticket_id (None | UUID):
     """

    actor_id: None | UUID
    client_scan_id: None | str
    client_scanned_at: datetime.datetime | None
    conflict: bool
    conflicts_with: ConflictWith | None
    direction: Direction
    event_id: UUID
    id: int
    message: str
    received_at: datetime.datetime
    scanned_at: datetime.datetime
    scanner_id: None | UUID
    source: ScanSource
    status: ScanStatus
    ticket_id: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.conflict_with import ConflictWith # noqa: PLC0415
        actor_id: None | str
        if isinstance(self.actor_id, UUID):
            actor_id = str(self.actor_id)
        else:
            actor_id = self.actor_id

        client_scan_id: None | str
        client_scan_id = self.client_scan_id

        client_scanned_at: None | str
        if isinstance(self.client_scanned_at, datetime.datetime):
            client_scanned_at = self.client_scanned_at.isoformat()
        else:
            client_scanned_at = self.client_scanned_at

        conflict = self.conflict

        conflicts_with: dict[str, Any] | None
        if isinstance(self.conflicts_with, ConflictWith):
            conflicts_with = self.conflicts_with.to_dict()
        else:
            conflicts_with = self.conflicts_with

        direction = self.direction.value

        event_id = str(self.event_id)

        id = self.id

        message = self.message

        received_at = self.received_at.isoformat()

        scanned_at = self.scanned_at.isoformat()

        scanner_id: None | str
        if isinstance(self.scanner_id, UUID):
            scanner_id = str(self.scanner_id)
        else:
            scanner_id = self.scanner_id

        source = self.source.value

        status = self.status.value

        ticket_id: None | str
        if isinstance(self.ticket_id, UUID):
            ticket_id = str(self.ticket_id)
        else:
            ticket_id = self.ticket_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "actorId": actor_id,
            "clientScanId": client_scan_id,
            "clientScannedAt": client_scanned_at,
            "conflict": conflict,
            "conflictsWith": conflicts_with,
            "direction": direction,
            "eventId": event_id,
            "id": id,
            "message": message,
            "receivedAt": received_at,
            "scannedAt": scanned_at,
            "scannerId": scanner_id,
            "source": source,
            "status": status,
            "ticketId": ticket_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conflict_with import ConflictWith # noqa: PLC0415
        d = dict(src_dict)
        def _parse_actor_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                actor_id_type_0 = UUID(data)



                return actor_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        actor_id = _parse_actor_id(d.pop("actorId"))


        def _parse_client_scan_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_scan_id = _parse_client_scan_id(d.pop("clientScanId"))


        def _parse_client_scanned_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                client_scanned_at_type_0 = datetime.datetime.fromisoformat(data)



                return client_scanned_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        client_scanned_at = _parse_client_scanned_at(d.pop("clientScannedAt"))


        conflict = d.pop("conflict")

        def _parse_conflicts_with(data: object) -> ConflictWith | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                conflicts_with_type_0 = ConflictWith.from_dict(data)



                return conflicts_with_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConflictWith | None, data)

        conflicts_with = _parse_conflicts_with(d.pop("conflictsWith"))


        direction = Direction(d.pop("direction"))




        event_id = UUID(d.pop("eventId"))




        id = d.pop("id")

        message = d.pop("message")

        received_at = datetime.datetime.fromisoformat(d.pop("receivedAt"))




        scanned_at = datetime.datetime.fromisoformat(d.pop("scannedAt"))




        def _parse_scanner_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scanner_id_type_0 = UUID(data)



                return scanner_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        scanner_id = _parse_scanner_id(d.pop("scannerId"))


        source = ScanSource(d.pop("source"))




        status = ScanStatus(d.pop("status"))




        def _parse_ticket_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ticket_id_type_0 = UUID(data)



                return ticket_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        ticket_id = _parse_ticket_id(d.pop("ticketId"))


        scan_log_read = cls(
            actor_id=actor_id,
            client_scan_id=client_scan_id,
            client_scanned_at=client_scanned_at,
            conflict=conflict,
            conflicts_with=conflicts_with,
            direction=direction,
            event_id=event_id,
            id=id,
            message=message,
            received_at=received_at,
            scanned_at=scanned_at,
            scanner_id=scanner_id,
            source=source,
            status=status,
            ticket_id=ticket_id,
        )


        scan_log_read.additional_properties = d
        return scan_log_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
