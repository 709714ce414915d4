from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.order_status import OrderStatus
from ..models.payment_status import PaymentStatus
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.dispute_read import DisputeRead
  from ..models.payment_event_read import PaymentEventRead
  from ..models.payment_read_next_action_type_0 import PaymentReadNextActionType0
  from ..models.refund_read import RefundRead





T = TypeVar("T", bound="PaymentRead")



@_attrs_define
class PaymentRead:
    """ 
        Attributes:
            amount (str):
            amount_minor (int): `amount` in the currency's minor units, as Stripe counts it.
            amount_received (str):
            amount_refunded (str): Refunds PENDING or SUCCEEDED.
            created_at (datetime.datetime):
            currency (str):
            disputes (list[DisputeRead]):
            event_id (UUID):
            history (list[PaymentEventRead]):
            hold_extended_at (datetime.datetime | None): When the order's hold was extended because the bank was confirming
                (once).
            id (UUID):
            method (None | str): The payment method type (`card`, `sepa_debit`, …; `manual`).
            next_action (None | PaymentReadNextActionType0): While `REQUIRES_ACTION` (3-D Secure / SCA): what the buyer must
                do next.
            order_id (UUID):
            order_status (OrderStatus):
            payment_intent_id (str):
            provider (str):
            refundable (str): What can still be refunded.
            refunds (list[RefundRead]):
            status (PaymentStatus):
            succeeded_at (datetime.datetime | None):
            updated_at (datetime.datetime):
            user_id (UUID):
     """

    amount: str
    amount_minor: int
    amount_received: str
    amount_refunded: str
    created_at: datetime.datetime
    currency: str
    disputes: list[DisputeRead]
    event_id: UUID
    history: list[PaymentEventRead]
    hold_extended_at: datetime.datetime | None
    id: UUID
    method: None | str
    next_action: None | PaymentReadNextActionType0
    order_id: UUID
    order_status: OrderStatus
    payment_intent_id: str
    provider: str
    refundable: str
    refunds: list[RefundRead]
    status: PaymentStatus
    succeeded_at: datetime.datetime | None
    updated_at: datetime.datetime
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.dispute_read import DisputeRead # noqa: PLC0415
        from ..models.payment_event_read import PaymentEventRead # noqa: PLC0415
        from ..models.payment_read_next_action_type_0 import PaymentReadNextActionType0 # noqa: PLC0415
        from ..models.refund_read import RefundRead # noqa: PLC0415
        amount = self.amount

        amount_minor = self.amount_minor

        amount_received = self.amount_received

        amount_refunded = self.amount_refunded

        created_at = self.created_at.isoformat()

        currency = self.currency

        disputes = []
        for disputes_item_data in self.disputes:
            disputes_item = disputes_item_data.to_dict()
            disputes.append(disputes_item)



        event_id = str(self.event_id)

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)



        hold_extended_at: None | str
        if isinstance(self.hold_extended_at, datetime.datetime):
            hold_extended_at = self.hold_extended_at.isoformat()
        else:
            hold_extended_at = self.hold_extended_at

        id = str(self.id)

        method: None | str
        method = self.method

        next_action: dict[str, Any] | None
        if isinstance(self.next_action, PaymentReadNextActionType0):
            next_action = self.next_action.to_dict()
        else:
            next_action = self.next_action

        order_id = str(self.order_id)

        order_status = self.order_status.value

        payment_intent_id = self.payment_intent_id

        provider = self.provider

        refundable = self.refundable

        refunds = []
        for refunds_item_data in self.refunds:
            refunds_item = refunds_item_data.to_dict()
            refunds.append(refunds_item)



        status = self.status.value

        succeeded_at: None | str
        if isinstance(self.succeeded_at, datetime.datetime):
            succeeded_at = self.succeeded_at.isoformat()
        else:
            succeeded_at = self.succeeded_at

        updated_at = self.updated_at.isoformat()

        user_id = str(self.user_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "amountMinor": amount_minor,
            "amountReceived": amount_received,
            "amountRefunded": amount_refunded,
            "createdAt": created_at,
            "currency": currency,
            "disputes": disputes,
            "eventId": event_id,
            "history": history,
            "holdExtendedAt": hold_extended_at,
            "id": id,
            "method": method,
            "nextAction": next_action,
            "orderId": order_id,
            "orderStatus": order_status,
            "paymentIntentId": payment_intent_id,
            "provider": provider,
            "refundable": refundable,
            "refunds": refunds,
            "status": status,
            "succeededAt": succeeded_at,
            "updatedAt": updated_at,
            "userId": user_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dispute_read import DisputeRead # noqa: PLC0415
        from ..models.payment_event_read import PaymentEventRead # noqa: PLC0415
        from ..models.payment_read_next_action_type_0 import PaymentReadNextActionType0 # noqa: PLC0415
        from ..models.refund_read import RefundRead # noqa: PLC0415
        d = dict(src_dict)
        amount = d.pop("amount")

        amount_minor = d.pop("amountMinor")

        amount_received = d.pop("amountReceived")

        amount_refunded = d.pop("amountRefunded")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        currency = d.pop("currency")

        disputes = []
        _disputes = d.pop("disputes")
        for disputes_item_data in (_disputes):
            disputes_item = DisputeRead.from_dict(disputes_item_data)



            disputes.append(disputes_item)


        event_id = UUID(d.pop("eventId"))




        history = []
        _history = d.pop("history")
        for history_item_data in (_history):
            history_item = PaymentEventRead.from_dict(history_item_data)



            history.append(history_item)


        def _parse_hold_extended_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                hold_extended_at_type_0 = datetime.datetime.fromisoformat(data)



                return hold_extended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        hold_extended_at = _parse_hold_extended_at(d.pop("holdExtendedAt"))


        id = UUID(d.pop("id"))




        def _parse_method(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        method = _parse_method(d.pop("method"))


        def _parse_next_action(data: object) -> None | PaymentReadNextActionType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_action_type_0 = PaymentReadNextActionType0.from_dict(data)



                return next_action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PaymentReadNextActionType0, data)

        next_action = _parse_next_action(d.pop("nextAction"))


        order_id = UUID(d.pop("orderId"))




        order_status = OrderStatus(d.pop("orderStatus"))




        payment_intent_id = d.pop("paymentIntentId")

        provider = d.pop("provider")

        refundable = d.pop("refundable")

        refunds = []
        _refunds = d.pop("refunds")
        for refunds_item_data in (_refunds):
            refunds_item = RefundRead.from_dict(refunds_item_data)



            refunds.append(refunds_item)


        status = PaymentStatus(d.pop("status"))




        def _parse_succeeded_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                succeeded_at_type_0 = datetime.datetime.fromisoformat(data)



                return succeeded_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        succeeded_at = _parse_succeeded_at(d.pop("succeededAt"))


        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        user_id = UUID(d.pop("userId"))




        payment_read = cls(
            amount=amount,
            amount_minor=amount_minor,
            amount_received=amount_received,
            amount_refunded=amount_refunded,
            created_at=created_at,
            currency=currency,
            disputes=disputes,
            event_id=event_id,
            history=history,
            hold_extended_at=hold_extended_at,
            id=id,
            method=method,
            next_action=next_action,
            order_id=order_id,
            order_status=order_status,
            payment_intent_id=payment_intent_id,
            provider=provider,
            refundable=refundable,
            refunds=refunds,
            status=status,
            succeeded_at=succeeded_at,
            updated_at=updated_at,
            user_id=user_id,
        )


        payment_read.additional_properties = d
        return payment_read

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
