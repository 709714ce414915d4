from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.direction import Direction
from ..models.scan_status import ScanStatus
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.conflict_with import ConflictWith
  from ..models.ticket_read import TicketRead





T = TypeVar("T", bound="ScanResult")



@_attrs_define
class ScanResult:
    """ 
        Attributes:
            direction (Direction):
            message (str):
            scan_id (int):
            scanned_at (datetime.datetime): When the scan took place in the history: the server's time.
            status (ScanStatus):
            client_scanned_at (datetime.datetime | None | Unset): The device's clock as sent in the request's `scannedAt`
                (null when it sent none).
            conflict (bool | Unset):  Default: False.
            conflicts_with (ConflictWith | None | Unset):
            replayed (bool | Unset): True when clientScanId named an earlier scan. Default: False.
            ticket (None | TicketRead | Unset):
     """

    direction: Direction
    message: str
    scan_id: int
    scanned_at: datetime.datetime
    status: ScanStatus
    client_scanned_at: datetime.datetime | None | Unset = UNSET
    conflict: bool | Unset = False
    conflicts_with: ConflictWith | None | Unset = UNSET
    replayed: bool | Unset = False
    ticket: None | TicketRead | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.conflict_with import ConflictWith # noqa: PLC0415
        from ..models.ticket_read import TicketRead # noqa: PLC0415
        direction = self.direction.value

        message = self.message

        scan_id = self.scan_id

        scanned_at = self.scanned_at.isoformat()

        status = self.status.value

        client_scanned_at: None | str | Unset
        if isinstance(self.client_scanned_at, Unset):
            client_scanned_at = UNSET
        elif isinstance(self.client_scanned_at, datetime.datetime):
            client_scanned_at = self.client_scanned_at.isoformat()
        else:
            client_scanned_at = self.client_scanned_at

        conflict = self.conflict

        conflicts_with: dict[str, Any] | None | Unset
        if isinstance(self.conflicts_with, Unset):
            conflicts_with = UNSET
        elif isinstance(self.conflicts_with, ConflictWith):
            conflicts_with = self.conflicts_with.to_dict()
        else:
            conflicts_with = self.conflicts_with

        replayed = self.replayed

        ticket: dict[str, Any] | None | Unset
        if isinstance(self.ticket, Unset):
            ticket = UNSET
        elif isinstance(self.ticket, TicketRead):
            ticket = self.ticket.to_dict()
        else:
            ticket = self.ticket


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "direction": direction,
            "message": message,
            "scanId": scan_id,
            "scannedAt": scanned_at,
            "status": status,
        })
        if client_scanned_at is not UNSET:
            field_dict["clientScannedAt"] = client_scanned_at
        if conflict is not UNSET:
            field_dict["conflict"] = conflict
        if conflicts_with is not UNSET:
            field_dict["conflictsWith"] = conflicts_with
        if replayed is not UNSET:
            field_dict["replayed"] = replayed
        if ticket is not UNSET:
            field_dict["ticket"] = ticket

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conflict_with import ConflictWith # noqa: PLC0415
        from ..models.ticket_read import TicketRead # noqa: PLC0415
        d = dict(src_dict)
        direction = Direction(d.pop("direction"))




        message = d.pop("message")

        scan_id = d.pop("scanId")

        scanned_at = datetime.datetime.fromisoformat(d.pop("scannedAt"))




        status = ScanStatus(d.pop("status"))




        def _parse_client_scanned_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                client_scanned_at_type_0 = datetime.datetime.fromisoformat(data)



                return client_scanned_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        client_scanned_at = _parse_client_scanned_at(d.pop("clientScannedAt", UNSET))


        conflict = d.pop("conflict", UNSET)

        def _parse_conflicts_with(data: object) -> ConflictWith | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                conflicts_with_type_0 = ConflictWith.from_dict(data)



                return conflicts_with_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConflictWith | None | Unset, data)

        conflicts_with = _parse_conflicts_with(d.pop("conflictsWith", UNSET))


        replayed = d.pop("replayed", UNSET)

        def _parse_ticket(data: object) -> None | TicketRead | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ticket_type_0 = TicketRead.from_dict(data)



                return ticket_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TicketRead | Unset, data)

        ticket = _parse_ticket(d.pop("ticket", UNSET))


        scan_result = cls(
            direction=direction,
            message=message,
            scan_id=scan_id,
            scanned_at=scanned_at,
            status=status,
            client_scanned_at=client_scanned_at,
            conflict=conflict,
            conflicts_with=conflicts_with,
            replayed=replayed,
            ticket=ticket,
        )


        scan_result.additional_properties = d
        return scan_result

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
