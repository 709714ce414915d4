from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.direction import Direction
from ..models.scan_status import ScanStatus
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.conflict_with import ConflictWith





T = TypeVar("T", bound="SyncOutcome")



@_attrs_define
class SyncOutcome:
    """ 
        Attributes:
            client_scan_id (str):
            client_scanned_at (datetime.datetime | None): The device's `scannedAt` as sent.
            conflict (bool):
            conflicts_with (ConflictWith | None):
            direction (Direction):
            message (str):
            replayed (bool):
            scan_id (int):
            scanned_at (datetime.datetime): The device's `scannedAt`, clamped to `receivedAt`.
            status (ScanStatus):
            ticket_id (None | UUID):
     """

    client_scan_id: str
    client_scanned_at: datetime.datetime | None
    conflict: bool
    conflicts_with: ConflictWith | None
    direction: Direction
    message: str
    replayed: bool
    scan_id: int
    scanned_at: datetime.datetime
    status: ScanStatus
    ticket_id: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.conflict_with import ConflictWith # noqa: PLC0415
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

        message = self.message

        replayed = self.replayed

        scan_id = self.scan_id

        scanned_at = self.scanned_at.isoformat()

        status = self.status.value

        ticket_id: None | str
        if isinstance(self.ticket_id, UUID):
            ticket_id = str(self.ticket_id)
        else:
            ticket_id = self.ticket_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "clientScanId": client_scan_id,
            "clientScannedAt": client_scanned_at,
            "conflict": conflict,
            "conflictsWith": conflicts_with,
            "direction": direction,
            "message": message,
            "replayed": replayed,
            "scanId": scan_id,
            "scannedAt": scanned_at,
            "status": status,
            "ticketId": ticket_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conflict_with import ConflictWith # noqa: PLC0415
        d = dict(src_dict)
        client_scan_id = d.pop("clientScanId")

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




        message = d.pop("message")

        replayed = d.pop("replayed")

        scan_id = d.pop("scanId")

        scanned_at = datetime.datetime.fromisoformat(d.pop("scannedAt"))




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


        sync_outcome = cls(
            client_scan_id=client_scan_id,
            client_scanned_at=client_scanned_at,
            conflict=conflict,
            conflicts_with=conflicts_with,
            direction=direction,
            message=message,
            replayed=replayed,
            scan_id=scan_id,
            scanned_at=scanned_at,
            status=status,
            ticket_id=ticket_id,
        )


        sync_outcome.additional_properties = d
        return sync_outcome

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
