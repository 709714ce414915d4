from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.discount_type import DiscountType
from ..models.promo_status import PromoStatus
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="PromoCodeRead")



@_attrs_define
class PromoCodeRead:
    """ 
        Attributes:
            code (str):
            created_at (datetime.datetime):
            discount_type (DiscountType):
            discount_value (str): "12.50": 12.5 % (PERCENTAGE) or 12.50 (FIXED).
            event_id (UUID):
            id (UUID):
            max_uses (int | None):
            min_order_amount (None | str):
            remaining_uses (int | None): maxUses - usedCount; null when unlimited.
            status (PromoStatus):
            ticket_type_ids (list[UUID] | None):
            updated_at (datetime.datetime):
            used_count (int): Uses by live orders; a cancelled or expired order gives its use back.
            valid_from (datetime.datetime | None):
            valid_until (datetime.datetime | None):
     """

    code: str
    created_at: datetime.datetime
    discount_type: DiscountType
    discount_value: str
    event_id: UUID
    id: UUID
    max_uses: int | None
    min_order_amount: None | str
    remaining_uses: int | None
    status: PromoStatus
    ticket_type_ids: list[UUID] | None
    updated_at: datetime.datetime
    used_count: int
    valid_from: datetime.datetime | None
    valid_until: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        created_at = self.created_at.isoformat()

        discount_type = self.discount_type.value

        discount_value = self.discount_value

        event_id = str(self.event_id)

        id = str(self.id)

        max_uses: int | None
        max_uses = self.max_uses

        min_order_amount: None | str
        min_order_amount = self.min_order_amount

        remaining_uses: int | None
        remaining_uses = self.remaining_uses

        status = self.status.value

        ticket_type_ids: list[str] | None
        if isinstance(self.ticket_type_ids, list):
            ticket_type_ids = []
            for ticket_type_ids_type_0_item_data in self.ticket_type_ids:
                ticket_type_ids_type_0_item = str(ticket_type_ids_type_0_item_data)
                ticket_type_ids.append(ticket_type_ids_type_0_item)


        else:
            ticket_type_ids = self.ticket_type_ids

        updated_at = self.updated_at.isoformat()

        used_count = self.used_count

        valid_from: None | str
        if isinstance(self.valid_from, datetime.datetime):
            valid_from = self.valid_from.isoformat()
        else:
            valid_from = self.valid_from

        valid_until: None | str
        if isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "createdAt": created_at,
            "discountType": discount_type,
            "discountValue": discount_value,
            "eventId": event_id,
            "id": id,
            "maxUses": max_uses,
            "minOrderAmount": min_order_amount,
            "remainingUses": remaining_uses,
            "status": status,
            "ticketTypeIds": ticket_type_ids,
            "updatedAt": updated_at,
            "usedCount": used_count,
            "validFrom": valid_from,
            "validUntil": valid_until,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        discount_type = DiscountType(d.pop("discountType"))




        discount_value = d.pop("discountValue")

        event_id = UUID(d.pop("eventId"))




        id = UUID(d.pop("id"))




        def _parse_max_uses(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_uses = _parse_max_uses(d.pop("maxUses"))


        def _parse_min_order_amount(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        min_order_amount = _parse_min_order_amount(d.pop("minOrderAmount"))


        def _parse_remaining_uses(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        remaining_uses = _parse_remaining_uses(d.pop("remainingUses"))


        status = PromoStatus(d.pop("status"))




        def _parse_ticket_type_ids(data: object) -> list[UUID] | None:
            if data is None:
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
            return cast(list[UUID] | None, data)

        ticket_type_ids = _parse_ticket_type_ids(d.pop("ticketTypeIds"))


        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        used_count = d.pop("usedCount")

        def _parse_valid_from(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_from_type_0 = datetime.datetime.fromisoformat(data)



                return valid_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        valid_from = _parse_valid_from(d.pop("validFrom"))


        def _parse_valid_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.datetime.fromisoformat(data)



                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        valid_until = _parse_valid_until(d.pop("validUntil"))


        promo_code_read = cls(
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


        promo_code_read.additional_properties = d
        return promo_code_read

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
