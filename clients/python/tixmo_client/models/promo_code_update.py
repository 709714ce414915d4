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






T = TypeVar("T", bound="PromoCodeUpdate")



@_attrs_define
class PromoCodeUpdate:
    """ A partial update: the fields given replace the stored ones (``null`` clears optional fields).

        Attributes:
            code (None | str | Unset):
            created_at (Any | Unset): Read-only: send the value last read, or leave it out.
            discount_type (DiscountType | None | Unset):
            discount_value (None | str | Unset):
            event_id (Any | Unset): Read-only: send the value last read, or leave it out.
            id (Any | Unset): Read-only: send the value last read, or leave it out.
            max_uses (int | None | Unset): Not below usedCount; null = unlimited.
            min_order_amount (None | str | Unset):
            remaining_uses (Any | Unset): Read-only: send the value last read, or leave it out.
            status (None | PromoStatus | Unset):
            ticket_type_ids (list[UUID] | None | Unset):
            updated_at (Any | Unset): Read-only: send the value last read, or leave it out.
            used_count (Any | Unset): Read-only: send the value last read, or leave it out.
            valid_from (datetime.datetime | None | Unset):
            valid_until (datetime.datetime | None | Unset):
     """

    code: None | str | Unset = UNSET
    created_at: Any | Unset = UNSET
    discount_type: DiscountType | None | Unset = UNSET
    discount_value: None | str | Unset = UNSET
    event_id: Any | Unset = UNSET
    id: Any | Unset = UNSET
    max_uses: int | None | Unset = UNSET
    min_order_amount: None | str | Unset = UNSET
    remaining_uses: Any | Unset = UNSET
    status: None | PromoStatus | Unset = UNSET
    ticket_type_ids: list[UUID] | None | Unset = UNSET
    updated_at: Any | Unset = UNSET
    used_count: Any | Unset = UNSET
    valid_from: datetime.datetime | None | Unset = UNSET
    valid_until: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        created_at = self.created_at

        discount_type: None | str | Unset
        if isinstance(self.discount_type, Unset):
            discount_type = UNSET
        elif isinstance(self.discount_type, DiscountType):
            discount_type = self.discount_type.value
        else:
            discount_type = self.discount_type

        discount_value: None | str | Unset
        if isinstance(self.discount_value, Unset):
            discount_value = UNSET
        else:
            discount_value = self.discount_value

        event_id = self.event_id

        id = self.id

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

        remaining_uses = self.remaining_uses

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, PromoStatus):
            status = self.status.value
        else:
            status = self.status

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

        updated_at = self.updated_at

        used_count = self.used_count

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
        })
        if code is not UNSET:
            field_dict["code"] = code
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if discount_type is not UNSET:
            field_dict["discountType"] = discount_type
        if discount_value is not UNSET:
            field_dict["discountValue"] = discount_value
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if id is not UNSET:
            field_dict["id"] = id
        if max_uses is not UNSET:
            field_dict["maxUses"] = max_uses
        if min_order_amount is not UNSET:
            field_dict["minOrderAmount"] = min_order_amount
        if remaining_uses is not UNSET:
            field_dict["remainingUses"] = remaining_uses
        if status is not UNSET:
            field_dict["status"] = status
        if ticket_type_ids is not UNSET:
            field_dict["ticketTypeIds"] = ticket_type_ids
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if used_count is not UNSET:
            field_dict["usedCount"] = used_count
        if valid_from is not UNSET:
            field_dict["validFrom"] = valid_from
        if valid_until is not UNSET:
            field_dict["validUntil"] = valid_until

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))


        created_at = d.pop("createdAt", UNSET)

        def _parse_discount_type(data: object) -> DiscountType | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                discount_type_type_0 = DiscountType(data)



                return discount_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DiscountType | None | Unset, data)

        discount_type = _parse_discount_type(d.pop("discountType", UNSET))


        def _parse_discount_value(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        discount_value = _parse_discount_value(d.pop("discountValue", UNSET))


        event_id = d.pop("eventId", UNSET)

        id = d.pop("id", UNSET)

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


        remaining_uses = d.pop("remainingUses", UNSET)

        def _parse_status(data: object) -> None | PromoStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = PromoStatus(data)



                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PromoStatus | Unset, data)

        status = _parse_status(d.pop("status", UNSET))


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


        updated_at = d.pop("updatedAt", UNSET)

        used_count = d.pop("usedCount", UNSET)

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


        promo_code_update = cls(
            code=code,
            created_at=created_at,
            discount_type=discount_type,
            discount_value=discount_value,
            event_id=event_id,
            id=id,
            max_uses=max_uses,
            min_order_amount=min_order_amount,
            remaining_uses=remaining_uses,
            status=status,
            ticket_type_ids=ticket_type_ids,
            updated_at=updated_at,
            used_count=used_count,
            valid_from=valid_from,
            valid_until=valid_until,
        )

        return promo_code_update

