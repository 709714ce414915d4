from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.discount_type import DiscountType
from ..models.promo_status import PromoStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="PromoCodeCreate")



@_attrs_define
class PromoCodeCreate:
    """ 
        Attributes:
            code (str): 1-50 letters, digits, '-' or '_'; stored as given, matched case-insensitively.
            discount_type (DiscountType):
            discount_value (str): PERCENTAGE: the percent, 0 < v <= 100 ("12.50" = 12.5 %). FIXED: an amount in the event's
                currency, > 0 ("5.00").
            event_id (UUID):
            max_uses (int | None | Unset): Omitted or null: unlimited.
            min_order_amount (None | str | Unset): The order subtotal (all items) needed for the code to apply.
            status (PromoStatus | Unset):
            ticket_type_ids (list[UUID] | None | Unset):
            valid_from (datetime.datetime | None | Unset): Inclusive.
            valid_until (datetime.datetime | None | Unset): Exclusive; must follow validFrom.
     """

    code: str
    discount_type: DiscountType
    discount_value: str
    event_id: UUID
    max_uses: int | None | Unset = UNSET
    min_order_amount: None | str | Unset = UNSET
    status: PromoStatus | Unset = UNSET
    ticket_type_ids: list[UUID] | None | Unset = UNSET
    valid_from: datetime.datetime | None | Unset = UNSET
    valid_until: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        discount_type = self.discount_type.value

        discount_value = self.discount_value

        event_id = str(self.event_id)

        max_uses: int | None | Unset
        if isinstance(self.max_uses, Unset):
            max_uses = UNSET
        else:
            max_uses = self.max_uses

        min_order_amount: None | str | Unset
        if isinstance(self.min_order_amount, Unset):
            min_order_amount = UNSET
        else:
            min_order_amount = self.min_order_amount

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        ticket_type_ids: list[str] | None | Unset
        if isinstance(self.ticket_type_ids, Unset):
            ticket_type_ids = UNSET
        elif isinstance(self.ticket_type_ids, list):
            ticket_type_ids = []
            for ticket_type_ids_type_0_item_data in self.ticket_type_ids:
                ticket_type_ids_type_0_item = str(ticket_type_ids_type_0_item_data)
                ticket_type_ids.append(ticket_type_ids_type_0_item)


        else:
            ticket_type_ids = self.ticket_type_ids

        valid_from: None | str | Unset
        if isinstance(self.valid_from, Unset):
            valid_from = UNSET
        elif isinstance(self.valid_from, datetime.datetime):
            valid_from = self.valid_from.isoformat()
        else:
            valid_from = self.valid_from

        valid_until: None | str | Unset
        if isinstance(self.valid_until, Unset):
            valid_until = UNSET
        elif isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "code": code,
            "discountType": discount_type,
            "discountValue": discount_value,
            "eventId": event_id,
        })
        if max_uses is not UNSET:
            field_dict["maxUses"] = max_uses
        if min_order_amount is not UNSET:
            field_dict["minOrderAmount"] = min_order_amount
        if status is not UNSET:
            field_dict["status"] = status
        if ticket_type_ids is not UNSET:
            field_dict["ticketTypeIds"] = ticket_type_ids
        if valid_from is not UNSET:
            field_dict["validFrom"] = valid_from
        if valid_until is not UNSET:
            field_dict["validUntil"] = valid_until

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        discount_type = DiscountType(d.pop("discountType"))




        discount_value = d.pop("discountValue")

        event_id = UUID(d.pop("eventId"))




        def _parse_max_uses(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_uses = _parse_max_uses(d.pop("maxUses", UNSET))


        def _parse_min_order_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        min_order_amount = _parse_min_order_amount(d.pop("minOrderAmount", UNSET))


        _status = d.pop("status", UNSET)
        status: PromoStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = PromoStatus(_status)




        def _parse_ticket_type_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                ticket_type_ids_type_0 = []
                _ticket_type_ids_type_0 = data
                for ticket_type_ids_type_0_item_data in (_ticket_type_ids_type_0):
                    ticket_type_ids_type_0_item = UUID(ticket_type_ids_type_0_item_data)



                    ticket_type_ids_type_0.append(ticket_type_ids_type_0_item)

                return ticket_type_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        ticket_type_ids = _parse_ticket_type_ids(d.pop("ticketTypeIds", UNSET))


        def _parse_valid_from(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_from_type_0 = datetime.datetime.fromisoformat(data)



                return valid_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        valid_from = _parse_valid_from(d.pop("validFrom", UNSET))


        def _parse_valid_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.datetime.fromisoformat(data)



                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        valid_until = _parse_valid_until(d.pop("validUntil", UNSET))


        promo_code_create = cls(
            code=code,
            discount_type=discount_type,
            discount_value=discount_value,
            event_id=event_id,
            max_uses=max_uses,
            min_order_amount=min_order_amount,
            status=status,
            ticket_type_ids=ticket_type_ids,
            valid_from=valid_from,
            valid_until=valid_until,
        )

        return promo_code_create

