from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="PaymentMethodFigures")



@_attrs_define
class PaymentMethodFigures:
    """ 
        Attributes:
            currency (str):
            disputed (int): Disputes opened.
            disputed_amount (str):
            failed (int): Failed attempts (one payment may fail several times).
            failed_amount (str): What the failed attempts tried to charge.
            method (str): `card`, `sepa_debit`, … as the provider named it; `manual`; `unknown`.
            refunded (int): Refunds recorded (PENDING or SUCCEEDED), lost disputes included.
            refunded_amount (str):
            succeeded (int): Payments that succeeded.
            succeeded_amount (str):
     """

    currency: str
    disputed: int
    disputed_amount: str
    failed: int
    failed_amount: str
    method: str
    refunded: int
    refunded_amount: str
    succeeded: int
    succeeded_amount: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        disputed = self.disputed

        disputed_amount = self.disputed_amount

        failed = self.failed

        failed_amount = self.failed_amount

        method = self.method

        refunded = self.refunded

        refunded_amount = self.refunded_amount

        succeeded = self.succeeded

        succeeded_amount = self.succeeded_amount


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "currency": currency,
            "disputed": disputed,
            "disputedAmount": disputed_amount,
            "failed": failed,
            "failedAmount": failed_amount,
            "method": method,
            "refunded": refunded,
            "refundedAmount": refunded_amount,
            "succeeded": succeeded,
            "succeededAmount": succeeded_amount,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        disputed = d.pop("disputed")

        disputed_amount = d.pop("disputedAmount")

        failed = d.pop("failed")

        failed_amount = d.pop("failedAmount")

        method = d.pop("method")

        refunded = d.pop("refunded")

        refunded_amount = d.pop("refundedAmount")

        succeeded = d.pop("succeeded")

        succeeded_amount = d.pop("succeededAmount")

        payment_method_figures = cls(
            currency=currency,
            disputed=disputed,
            disputed_amount=disputed_amount,
            failed=failed,
            failed_amount=failed_amount,
            method=method,
            refunded=refunded,
            refunded_amount=refunded_amount,
            succeeded=succeeded,
            succeeded_amount=succeeded_amount,
        )


        payment_method_figures.additional_properties = d
        return payment_method_figures

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
