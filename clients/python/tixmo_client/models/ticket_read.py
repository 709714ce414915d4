from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.ticket_status import TicketStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.seat_read import SeatRead





T = TypeVar("T", bound="TicketRead")



@_attrs_define
class TicketRead:
    """ 
        Attributes:
            barcode (None | str): Shown to the ticket's holder and the event's staff. In an order's view it is null for a
                ticket the buyer transferred to someone else.
            checked_in_at (datetime.datetime | None):
            event_id (UUID):
            id (UUID):
            order_id (UUID):
            owner_id (UUID):
            status (TicketStatus):
            ticket_type_id (UUID):
            seat (None | SeatRead | Unset):
     """

    barcode: None | str
    checked_in_at: datetime.datetime | None
    event_id: UUID
    id: UUID
    order_id: UUID
    owner_id: UUID
    status: TicketStatus
    ticket_type_id: UUID
    seat: None | SeatRead | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.seat_read import SeatRead # noqa: PLC0415
        barcode: None | str
        barcode = self.barcode

        checked_in_at: None | str
        if isinstance(self.checked_in_at, datetime.datetime):
            checked_in_at = self.checked_in_at.isoformat()
        else:
            checked_in_at = self.checked_in_at

        event_id = str(self.event_id)

        id = str(self.id)

        order_id = str(self.order_id)

        owner_id = str(self.owner_id)

        status = self.status.value

        ticket_type_id = str(self.ticket_type_id)

        seat: dict[str, Any] | None | Unset
        if isinstance(self.seat, Unset):
            seat = UNSET
        elif isinstance(self.seat, SeatRead):
            seat = self.seat.to_dict()
        else:
            seat = self.seat


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "barcode": barcode,
            "checkedInAt": checked_in_at,
            "eventId": event_id,
            "id": id,
            "orderId": order_id,
            "ownerId": owner_id,
            "status": status,
            "ticketTypeId": ticket_type_id,
        })
        if seat is not UNSET:
            field_dict["seat"] = seat

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.seat_read import SeatRead # noqa: PLC0415
        d = dict(src_dict)
        def _parse_barcode(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        barcode = _parse_barcode(d.pop("barcode"))


        def _parse_checked_in_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                checked_in_at_type_0 = datetime.datetime.fromisoformat(data)



                return checked_in_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        checked_in_at = _parse_checked_in_at(d.pop("checkedInAt"))


        event_id = UUID(d.pop("eventId"))




        id = UUID(d.pop("id"))




        order_id = UUID(d.pop("orderId"))




        owner_id = UUID(d.pop("ownerId"))




        status = TicketStatus(d.pop("status"))




        ticket_type_id = UUID(d.pop("ticketTypeId"))




        def _parse_seat(data: object) -> None | SeatRead | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                seat_type_0 = SeatRead.from_dict(data)



                return seat_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SeatRead | Unset, data)

        seat = _parse_seat(d.pop("seat", UNSET))


        ticket_read = cls(
            barcode=barcode,
            checked_in_at=checked_in_at,
            event_id=event_id,
            id=id,
            order_id=order_id,
            owner_id=owner_id,
            status=status,
            ticket_type_id=ticket_type_id,
            seat=seat,
        )


        ticket_read.additional_properties = d
        return ticket_read

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
