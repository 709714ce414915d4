from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="PromoCodeValidation")



@_attrs_define
class PromoCodeValidation:
    """ What an order of ``items`` with ``code`` would cost now. Nothing is reserved or used up.

        Attributes:
            code (str): The code as stored when valid (its case may differ), else as sent.
            currency (str):
            discount (str):
            reason (None | str): Why the code does not apply; null when valid.
            subtotal (str):
            total (str): subtotal - discount; never negative.
            valid (bool):
     """

    code: str
    currency: str
    discount: str
    reason: None | str
    subtotal: str
    total: str
    valid: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        currency = self.currency

        discount = self.discount

        reason: None | str
        reason = self.reason

        subtotal = self.subtotal

        total = self.total

        valid = self.valid


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "currency": currency,
            "discount": discount,
            "reason": reason,
            "subtotal": subtotal,
            "total": total,
            "valid": valid,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        currency = d.pop("currency")

        discount = d.pop("discount")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


        subtotal = d.pop("subtotal")

        total = d.pop("total")

        valid = d.pop("valid")

        promo_code_validation = cls(
            code=code,
            currency=currency,
            discount=discount,
            reason=reason,
            subtotal=subtotal,
            total=total,
            valid=valid,
        )


        promo_code_validation.additional_properties = d
        return promo_code_validation

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
