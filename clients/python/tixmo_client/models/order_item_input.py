from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.seat_ref import SeatRef





T = TypeVar("T", bound="OrderItemInput")



@_attrs_define
class OrderItemInput:
    """ 
        Attributes:
            quantity (int):
            ticket_type_id (UUID):
            seats (list[SeatRef] | None | Unset): Reserved seating only: exactly `quantity` seats; omitted = best available.
     """

    quantity: int
    ticket_type_id: UUID
    seats: list[SeatRef] | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.seat_ref import SeatRef # noqa: PLC0415
        quantity = self.quantity

        ticket_type_id = str(self.ticket_type_id)

        seats: list[dict[str, Any]] | None | Unset
        if isinstance(self.seats, Unset):
            seats = UNSET
        elif isinstance(self.seats, list):
            seats = []
            for seats_type_0_item_data in self.seats:
                seats_type_0_item = seats_type_0_item_data.to_dict()
                seats.append(seats_type_0_item)


        else:
            seats = self.seats


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "quantity": quantity,
            "ticketTypeId": ticket_type_id,
        })
        if seats is not UNSET:
            field_dict["seats"] = seats

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.seat_ref import SeatRef # noqa: PLC0415
        d = dict(src_dict)
        quantity = d.pop("quantity")

        ticket_type_id = UUID(d.pop("ticketTypeId"))




        def _parse_seats(data: object) -> list[SeatRef] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                seats_type_0 = []
                _seats_type_0 = data
                for seats_type_0_item_data in (_seats_type_0):
                    seats_type_0_item = SeatRef.from_dict(seats_type_0_item_data)



                    seats_type_0.append(seats_type_0_item)

                return seats_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[SeatRef] | None | Unset, data)

        seats = _parse_seats(d.pop("seats", UNSET))


        order_item_input = cls(
            quantity=quantity,
            ticket_type_id=ticket_type_id,
            seats=seats,
        )

        return order_item_input

