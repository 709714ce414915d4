from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.payment_status import PaymentStatus
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="PaymentEventRead")



@_attrs_define
class PaymentEventRead:
    """ 
        Attributes:
            amount (None | str):
            code (None | str): A decline code (`insufficient_funds`), a cancellation or dispute reason.
            created_at (datetime.datetime):
            currency (None | str):
            id (UUID):
            message (None | str):
            provider_event_id (None | str):
            refund_id (None | UUID):
            status (PaymentStatus):
            type_ (str): What happened, e.g. `succeeded`, `payment_failed`, `refund_requested`.
     """

    amount: None | str
    code: None | str
    created_at: datetime.datetime
    currency: None | str
    id: UUID
    message: None | str
    provider_event_id: None | str
    refund_id: None | UUID
    status: PaymentStatus
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        amount: None | str
        amount = self.amount

        code: None | str
        code = self.code

        created_at = self.created_at.isoformat()

        currency: None | str
        currency = self.currency

        id = str(self.id)

        message: None | str
        message = self.message

        provider_event_id: None | str
        provider_event_id = self.provider_event_id

        refund_id: None | str
        if isinstance(self.refund_id, UUID):
            refund_id = str(self.refund_id)
        else:
            refund_id = self.refund_id

        status = self.status.value

        type_ = self.type_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "code": code,
            "createdAt": created_at,
            "currency": currency,
            "id": id,
            "message": message,
            "providerEventId": provider_event_id,
            "refundId": refund_id,
            "status": status,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_amount(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        amount = _parse_amount(d.pop("amount"))


        def _parse_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        code = _parse_code(d.pop("code"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))


        id = UUID(d.pop("id"))




        def _parse_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        message = _parse_message(d.pop("message"))


        def _parse_provider_event_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        provider_event_id = _parse_provider_event_id(d.pop("providerEventId"))


        def _parse_refund_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                refund_id_type_0 = UUID(data)



                return refund_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        refund_id = _parse_refund_id(d.pop("refundId"))


        status = PaymentStatus(d.pop("status"))




        type_ = d.pop("type")

        payment_event_read = cls(
            amount=amount,
            code=code,
            created_at=created_at,
            currency=currency,
            id=id,
            message=message,
            provider_event_id=provider_event_id,
            refund_id=refund_id,
            status=status,
            type_=type_,
        )


        payment_event_read.additional_properties = d
        return payment_event_read

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
