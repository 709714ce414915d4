from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="DisputeRead")



@_attrs_define
class DisputeRead:
    """ 
        Attributes:
            amount (str):
            closed_at (datetime.datetime | None):
            created_at (datetime.datetime):
            currency (str):
            evidence_due_by (datetime.datetime | None):
            id (UUID):
            provider_dispute_id (str): Stripe's dispute id (`dp_…`).
            reason (None | str): The bank's reason, e.g. `fraudulent`, `product_not_received`.
            refund_id (None | UUID): A lost dispute's refund (`origin: dispute`).
            status (str): Stripe's: `warning_needs_response`, `warning_under_review`, `warning_closed`, `needs_response`,
                `under_review`, `won`, `lost`.
            updated_at (datetime.datetime):
     """

    amount: str
    closed_at: datetime.datetime | None
    created_at: datetime.datetime
    currency: str
    evidence_due_by: datetime.datetime | None
    id: UUID
    provider_dispute_id: str
    reason: None | str
    refund_id: None | UUID
    status: str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        created_at = self.created_at.isoformat()

        currency = self.currency

        evidence_due_by: None | str
        if isinstance(self.evidence_due_by, datetime.datetime):
            evidence_due_by = self.evidence_due_by.isoformat()
        else:
            evidence_due_by = self.evidence_due_by

        id = str(self.id)

        provider_dispute_id = self.provider_dispute_id

        reason: None | str
        reason = self.reason

        refund_id: None | str
        if isinstance(self.refund_id, UUID):
            refund_id = str(self.refund_id)
        else:
            refund_id = self.refund_id

        status = self.status

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "closedAt": closed_at,
            "createdAt": created_at,
            "currency": currency,
            "evidenceDueBy": evidence_due_by,
            "id": id,
            "providerDisputeId": provider_dispute_id,
            "reason": reason,
            "refundId": refund_id,
            "status": status,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)



                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closedAt"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        currency = d.pop("currency")

        def _parse_evidence_due_by(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                evidence_due_by_type_0 = datetime.datetime.fromisoformat(data)



                return evidence_due_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        evidence_due_by = _parse_evidence_due_by(d.pop("evidenceDueBy"))


        id = UUID(d.pop("id"))




        provider_dispute_id = d.pop("providerDisputeId")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


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


        status = d.pop("status")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        dispute_read = cls(
            amount=amount,
            closed_at=closed_at,
            created_at=created_at,
            currency=currency,
            evidence_due_by=evidence_due_by,
            id=id,
            provider_dispute_id=provider_dispute_id,
            reason=reason,
            refund_id=refund_id,
            status=status,
            updated_at=updated_at,
        )


        dispute_read.additional_properties = d
        return dispute_read

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
