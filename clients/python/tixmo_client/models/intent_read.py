from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.payment_status import PaymentStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.intent_read_next_action_type_0 import IntentReadNextActionType0





T = TypeVar("T", bound="IntentRead")



@_attrs_define
class IntentRead:
    """ 
        Attributes:
            amount (str):
            amount_minor (int): The same amount in the currency's minor units, as Stripe counts it: cents for USD, yen for
                JPY (no minor unit: ¥1,000 is 1000), fils for KWD (three decimals: KWD 1.250 is 1250).
            client_secret (None | str): For Stripe.js / the mobile SDKs to collect the payment.
            currency (str):
            payment_id (UUID):
            payment_intent_id (str): Stripe's PaymentIntent id (`pi_…`), or `manual_pi_…`.
            provider (str):
            status (PaymentStatus):
            next_action (IntentReadNextActionType0 | None | Unset): While `REQUIRES_ACTION`: what the buyer must do
                (Stripe's `next_action`, e.g. a 3-D Secure redirect); Stripe.js `handleNextAction` acts on it.
     """

    amount: str
    amount_minor: int
    client_secret: None | str
    currency: str
    payment_id: UUID
    payment_intent_id: str
    provider: str
    status: PaymentStatus
    next_action: IntentReadNextActionType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.intent_read_next_action_type_0 import IntentReadNextActionType0 # noqa: PLC0415
        amount = self.amount

        amount_minor = self.amount_minor

        client_secret: None | str
        client_secret = self.client_secret

        currency = self.currency

        payment_id = str(self.payment_id)

        payment_intent_id = self.payment_intent_id

        provider = self.provider

        status = self.status.value

        next_action: dict[str, Any] | None | Unset
        if isinstance(self.next_action, Unset):
            next_action = UNSET
        elif isinstance(self.next_action, IntentReadNextActionType0):
            next_action = self.next_action.to_dict()
        else:
            next_action = self.next_action


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "amountMinor": amount_minor,
            "clientSecret": client_secret,
            "currency": currency,
            "paymentId": payment_id,
            "paymentIntentId": payment_intent_id,
            "provider": provider,
            "status": status,
        })
        if next_action is not UNSET:
            field_dict["nextAction"] = next_action

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.intent_read_next_action_type_0 import IntentReadNextActionType0 # noqa: PLC0415
        d = dict(src_dict)
        amount = d.pop("amount")

        amount_minor = d.pop("amountMinor")

        def _parse_client_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_secret = _parse_client_secret(d.pop("clientSecret"))


        currency = d.pop("currency")

        payment_id = UUID(d.pop("paymentId"))




        payment_intent_id = d.pop("paymentIntentId")

        provider = d.pop("provider")

        status = PaymentStatus(d.pop("status"))




        def _parse_next_action(data: object) -> IntentReadNextActionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_action_type_0 = IntentReadNextActionType0.from_dict(data)



                return next_action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IntentReadNextActionType0 | None | Unset, data)

        next_action = _parse_next_action(d.pop("nextAction", UNSET))


        intent_read = cls(
            amount=amount,
            amount_minor=amount_minor,
            client_secret=client_secret,
            currency=currency,
            payment_id=payment_id,
            payment_intent_id=payment_intent_id,
            provider=provider,
            status=status,
            next_action=next_action,
        )


        intent_read.additional_properties = d
        return intent_read

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
