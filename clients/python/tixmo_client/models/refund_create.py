from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="RefundCreate")



@_attrs_define
class RefundCreate:
    """ ``amount`` omitted: what is left (or, with ``ticketIds``, those tickets' paid share).

        Attributes:
            amount (None | str | Unset): Omitted: everything that is left.
            reason (None | str | Unset):
            ticket_ids (list[UUID] | None | Unset): Tickets of the order to cancel with this refund (their inventory
                returns).
     """

    amount: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    ticket_ids: list[UUID] | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        amount: None | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        ticket_ids: list[str] | None | Unset
        if isinstance(self.ticket_ids, Unset):
            ticket_ids = UNSET
        elif isinstance(self.ticket_ids, list):
            ticket_ids = []
            for ticket_ids_type_0_item_data in self.ticket_ids:
                ticket_ids_type_0_item = str(ticket_ids_type_0_item_data)
                ticket_ids.append(ticket_ids_type_0_item)


        else:
            ticket_ids = self.ticket_ids


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if amount is not UNSET:
            field_dict["amount"] = amount
        if reason is not UNSET:
            field_dict["reason"] = reason
        if ticket_ids is not UNSET:
            field_dict["ticketIds"] = ticket_ids

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))


        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        def _parse_ticket_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                ticket_ids_type_0 = []
                _ticket_ids_type_0 = data
                for ticket_ids_type_0_item_data in (_ticket_ids_type_0):
                    ticket_ids_type_0_item = UUID(ticket_ids_type_0_item_data)



                    ticket_ids_type_0.append(ticket_ids_type_0_item)

                return ticket_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        ticket_ids = _parse_ticket_ids(d.pop("ticketIds", UNSET))


        refund_create = cls(
            amount=amount,
            reason=reason,
            ticket_ids=ticket_ids,
        )

        return refund_create

