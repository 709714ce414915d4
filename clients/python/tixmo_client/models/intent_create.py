from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from uuid import UUID






T = TypeVar("T", bound="IntentCreate")



@_attrs_define
class IntentCreate:
    """ 
        Attributes:
            order_id (UUID):
            save_payment_method (bool | Unset): The buyer opts in to keep the card for next time (`setup_future_usage`; a
                Stripe Customer is made for them on first use). Taken into account when the intent is made. Default: False.
     """

    order_id: UUID
    save_payment_method: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        order_id = str(self.order_id)

        save_payment_method = self.save_payment_method


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "orderId": order_id,
        })
        if save_payment_method is not UNSET:
            field_dict["savePaymentMethod"] = save_payment_method

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        order_id = UUID(d.pop("orderId"))




        save_payment_method = d.pop("savePaymentMethod", UNSET)

        intent_create = cls(
            order_id=order_id,
            save_payment_method=save_payment_method,
        )

        return intent_create

