from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="TopCustomer")



@_attrs_define
class TopCustomer:
    """ 
        Attributes:
            currency (str):
            email (str):
            name (str):
            orders (int):
            spent (str): Paid after discounts, minus refunds.
            tickets (int):
            user_id (UUID):
     """

    currency: str
    email: str
    name: str
    orders: int
    spent: str
    tickets: int
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        email = self.email

        name = self.name

        orders = self.orders

        spent = self.spent

        tickets = self.tickets

        user_id = str(self.user_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "currency": currency,
            "email": email,
            "name": name,
            "orders": orders,
            "spent": spent,
            "tickets": tickets,
            "userId": user_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        email = d.pop("email")

        name = d.pop("name")

        orders = d.pop("orders")

        spent = d.pop("spent")

        tickets = d.pop("tickets")

        user_id = UUID(d.pop("userId"))




        top_customer = cls(
            currency=currency,
            email=email,
            name=name,
            orders=orders,
            spent=spent,
            tickets=tickets,
            user_id=user_id,
        )


        top_customer.additional_properties = d
        return top_customer

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
