from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.waitlist_status import WaitlistStatus
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="WaitlistEntryRead")



@_attrs_define
class WaitlistEntryRead:
    """ 
        Attributes:
            claim_url (None | str): While OFFERED: where to claim (POST, the person's bearer token): the order comes back.
            created_at (datetime.datetime):
            ended_at (datetime.datetime | None):
            event_id (UUID):
            held_quantity (int): Tickets held for this entry while OFFERED, else 0.
            id (UUID):
            offer_expires_at (datetime.datetime | None):
            offer_ticket_type_id (None | UUID): The ticket type of the held tickets.
            offered_at (datetime.datetime | None):
            order_id (None | UUID): The order a claim created.
            position (int | None): Place in the queue while WAITING (1 = next), counting the earlier WAITING entries that
                wait for the same tickets; null otherwise.
            quantity (int):
            status (WaitlistStatus):
            ticket_type_id (None | UUID): null: any ticket type of the event.
            user_id (UUID):
     """

    claim_url: None | str
    created_at: datetime.datetime
    ended_at: datetime.datetime | None
    event_id: UUID
    held_quantity: int
    id: UUID
    offer_expires_at: datetime.datetime | None
    offer_ticket_type_id: None | UUID
    offered_at: datetime.datetime | None
    order_id: None | UUID
    position: int | None
    quantity: int
    status: WaitlistStatus
    ticket_type_id: None | UUID
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        claim_url: None | str
        claim_url = self.claim_url

        created_at = self.created_at.isoformat()

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        event_id = str(self.event_id)

        held_quantity = self.held_quantity

        id = str(self.id)

        offer_expires_at: None | str
        if isinstance(self.offer_expires_at, datetime.datetime):
            offer_expires_at = self.offer_expires_at.isoformat()
        else:
            offer_expires_at = self.offer_expires_at

        offer_ticket_type_id: None | str
        if isinstance(self.offer_ticket_type_id, UUID):
            offer_ticket_type_id = str(self.offer_ticket_type_id)
        else:
            offer_ticket_type_id = self.offer_ticket_type_id

        offered_at: None | str
        if isinstance(self.offered_at, datetime.datetime):
            offered_at = self.offered_at.isoformat()
        else:
            offered_at = self.offered_at

        order_id: None | str
        if isinstance(self.order_id, UUID):
            order_id = str(self.order_id)
        else:
            order_id = self.order_id

        position: int | None
        position = self.position

        quantity = self.quantity

        status = self.status.value

        ticket_type_id: None | str
        if isinstance(self.ticket_type_id, UUID):
            ticket_type_id = str(self.ticket_type_id)
        else:
            ticket_type_id = self.ticket_type_id

        user_id = str(self.user_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "claimUrl": claim_url,
            "createdAt": created_at,
            "endedAt": ended_at,
            "eventId": event_id,
            "heldQuantity": held_quantity,
            "id": id,
            "offerExpiresAt": offer_expires_at,
            "offerTicketTypeId": offer_ticket_type_id,
            "offeredAt": offered_at,
            "orderId": order_id,
            "position": position,
            "quantity": quantity,
            "status": status,
            "ticketTypeId": ticket_type_id,
            "userId": user_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_claim_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        claim_url = _parse_claim_url(d.pop("claimUrl"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        def _parse_ended_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_at_type_0 = datetime.datetime.fromisoformat(data)



                return ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ended_at = _parse_ended_at(d.pop("endedAt"))


        event_id = UUID(d.pop("eventId"))




        held_quantity = d.pop("heldQuantity")

        id = UUID(d.pop("id"))




        def _parse_offer_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                offer_expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return offer_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        offer_expires_at = _parse_offer_expires_at(d.pop("offerExpiresAt"))


        def _parse_offer_ticket_type_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                offer_ticket_type_id_type_0 = UUID(data)



                return offer_ticket_type_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        offer_ticket_type_id = _parse_offer_ticket_type_id(d.pop("offerTicketTypeId"))


        def _parse_offered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                offered_at_type_0 = datetime.datetime.fromisoformat(data)



                return offered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        offered_at = _parse_offered_at(d.pop("offeredAt"))


        def _parse_order_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                order_id_type_0 = UUID(data)



                return order_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        order_id = _parse_order_id(d.pop("orderId"))


        def _parse_position(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        position = _parse_position(d.pop("position"))


        quantity = d.pop("quantity")

        status = WaitlistStatus(d.pop("status"))




        def _parse_ticket_type_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ticket_type_id_type_0 = UUID(data)



                return ticket_type_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        ticket_type_id = _parse_ticket_type_id(d.pop("ticketTypeId"))


        user_id = UUID(d.pop("userId"))




        waitlist_entry_read = cls(
            claim_url=claim_url,
            created_at=created_at,
            ended_at=ended_at,
            event_id=event_id,
            held_quantity=held_quantity,
            id=id,
            offer_expires_at=offer_expires_at,
            offer_ticket_type_id=offer_ticket_type_id,
            offered_at=offered_at,
            order_id=order_id,
            position=position,
            quantity=quantity,
            status=status,
            ticket_type_id=ticket_type_id,
            user_id=user_id,
        )


        waitlist_entry_read.additional_properties = d
        return waitlist_entry_read

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
