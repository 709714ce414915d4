from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="PaymentFigures")



@_attrs_define
class PaymentFigures:
    """ Payments of one currency in the range: each figure counts what happened in it (a success, a
    failed attempt, a dispute opened, a refund recorded — a lost dispute's included).

        Attributes:
            currency (str):
            disputed (int): Disputes opened.
            disputed_amount (str):
            failed (int): Failed attempts (one payment may fail several times).
            failed_amount (str): What the failed attempts tried to charge.
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

        refunded = d.pop("refunded")

        refunded_amount = d.pop("refundedAmount")

        succeeded = d.pop("succeeded")

        succeeded_amount = d.pop("succeededAmount")

        payment_figures = cls(
            currency=currency,
            disputed=disputed,
            disputed_amount=disputed_amount,
            failed=failed,
            failed_amount=failed_amount,
            refunded=refunded,
            refunded_amount=refunded_amount,
            succeeded=succeeded,
            succeeded_amount=succeeded_amount,
        )


        payment_figures.additional_properties = d
        return payment_figures

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
