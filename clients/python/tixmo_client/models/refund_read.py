from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.refund_status import RefundStatus
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="RefundRead")



@_attrs_define
class RefundRead:
    """ 
        Attributes:
            amount (str):
            created_at (datetime.datetime):
            id (UUID):
            origin (str): `api` (asked for here) or `external` (found at the provider).
            provider_refund_id (None | str):
            reason (None | str):
            status (RefundStatus):
            ticket_ids (list[UUID]):
            updated_at (datetime.datetime):
     """

    amount: str
    created_at: datetime.datetime
    id: UUID
    origin: str
    provider_refund_id: None | str
    reason: None | str
    status: RefundStatus
    ticket_ids: list[UUID]
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        id = str(self.id)

        origin = self.origin

        provider_refund_id: None | str
        provider_refund_id = self.provider_refund_id

        reason: None | str
        reason = self.reason

        status = self.status.value

        ticket_ids = []
        for ticket_ids_item_data in self.ticket_ids:
            ticket_ids_item = str(ticket_ids_item_data)
            ticket_ids.append(ticket_ids_item)



        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "createdAt": created_at,
            "id": id,
            "origin": origin,
            "providerRefundId": provider_refund_id,
            "reason": reason,
            "status": status,
            "ticketIds": ticket_ids,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = UUID(d.pop("id"))




        origin = d.pop("origin")

        def _parse_provider_refund_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        provider_refund_id = _parse_provider_refund_id(d.pop("providerRefundId"))


        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


        status = RefundStatus(d.pop("status"))




        ticket_ids = []
        _ticket_ids = d.pop("ticketIds")
        for ticket_ids_item_data in (_ticket_ids):
            ticket_ids_item = UUID(ticket_ids_item_data)



            ticket_ids.append(ticket_ids_item)


        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        refund_read = cls(
            amount=amount,
            created_at=created_at,
            id=id,
            origin=origin,
            provider_refund_id=provider_refund_id,
            reason=reason,
            status=status,
            ticket_ids=ticket_ids,
            updated_at=updated_at,
        )


        refund_read.additional_properties = d
        return refund_read

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
