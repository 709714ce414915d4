from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.order_status import OrderStatus
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.order_item_read import OrderItemRead
  from ..models.ticket_read import TicketRead





T = TypeVar("T", bound="OrderRead")



@_attrs_define
class OrderRead:
    """ 
        Attributes:
            cancelled_at (datetime.datetime | None):
            confirmed_at (datetime.datetime | None):
            created_at (datetime.datetime):
            currency (str):
            discount (str):
            event_id (UUID):
            expired_at (datetime.datetime | None):
            expires_at (datetime.datetime | None): Until when a PENDING order holds its tickets.
            id (UUID):
            items (list[OrderItemRead]):
            promo_code (None | str):
            status (OrderStatus):
            subtotal (str):
            ticket_count (int):
            tickets (list[TicketRead]):
            total (str):
            updated_at (datetime.datetime):
            user_id (UUID):
     """

    cancelled_at: datetime.datetime | None
    confirmed_at: datetime.datetime | None
    created_at: datetime.datetime
    currency: str
    discount: str
    event_id: UUID
    expired_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    id: UUID
    items: list[OrderItemRead]
    promo_code: None | str
    status: OrderStatus
    subtotal: str
    ticket_count: int
    tickets: list[TicketRead]
    total: str
    updated_at: datetime.datetime
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.order_item_read import OrderItemRead # noqa: PLC0415
        from ..models.ticket_read import TicketRead # noqa: PLC0415
        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        confirmed_at: None | str
        if isinstance(self.confirmed_at, datetime.datetime):
            confirmed_at = self.confirmed_at.isoformat()
        else:
            confirmed_at = self.confirmed_at

        created_at = self.created_at.isoformat()

        currency = self.currency

        discount = self.discount

        event_id = str(self.event_id)

        expired_at: None | str
        if isinstance(self.expired_at, datetime.datetime):
            expired_at = self.expired_at.isoformat()
        else:
            expired_at = self.expired_at

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        id = str(self.id)

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        promo_code: None | str
        promo_code = self.promo_code

        status = self.status.value

        subtotal = self.subtotal

        ticket_count = self.ticket_count

        tickets = []
        for tickets_item_data in self.tickets:
            tickets_item = tickets_item_data.to_dict()
            tickets.append(tickets_item)



        total = self.total

        updated_at = self.updated_at.isoformat()

        user_id = str(self.user_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "cancelledAt": cancelled_at,
            "confirmedAt": confirmed_at,
            "createdAt": created_at,
            "currency": currency,
            "discount": discount,
            "eventId": event_id,
            "expiredAt": expired_at,
            "expiresAt": expires_at,
            "id": id,
            "items": items,
            "promoCode": promo_code,
            "status": status,
            "subtotal": subtotal,
            "ticketCount": ticket_count,
            "tickets": tickets,
            "total": total,
            "updatedAt": updated_at,
            "userId": user_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_item_read import OrderItemRead # noqa: PLC0415
        from ..models.ticket_read import TicketRead # noqa: PLC0415
        d = dict(src_dict)
        def _parse_cancelled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)



                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelledAt"))


        def _parse_confirmed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                confirmed_at_type_0 = datetime.datetime.fromisoformat(data)



                return confirmed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        confirmed_at = _parse_confirmed_at(d.pop("confirmedAt"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        currency = d.pop("currency")

        discount = d.pop("discount")

        event_id = UUID(d.pop("eventId"))




        def _parse_expired_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expired_at_type_0 = datetime.datetime.fromisoformat(data)



                return expired_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expired_at = _parse_expired_at(d.pop("expiredAt"))


        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expiresAt"))


        id = UUID(d.pop("id"))




        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = OrderItemRead.from_dict(items_item_data)



            items.append(items_item)


        def _parse_promo_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        promo_code = _parse_promo_code(d.pop("promoCode"))


        status = OrderStatus(d.pop("status"))




        subtotal = d.pop("subtotal")

        ticket_count = d.pop("ticketCount")

        tickets = []
        _tickets = d.pop("tickets")
        for tickets_item_data in (_tickets):
            tickets_item = TicketRead.from_dict(tickets_item_data)



            tickets.append(tickets_item)


        total = d.pop("total")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        user_id = UUID(d.pop("userId"))




        order_read = cls(
            cancelled_at=cancelled_at,
            confirmed_at=confirmed_at,
            created_at=created_at,
            currency=currency,
            discount=discount,
            event_id=event_id,
            expired_at=expired_at,
            expires_at=expires_at,
            id=id,
            items=items,
            promo_code=promo_code,
            status=status,
            subtotal=subtotal,
            ticket_count=ticket_count,
            tickets=tickets,
            total=total,
            updated_at=updated_at,
            user_id=user_id,
        )


        order_read.additional_properties = d
        return order_read

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
