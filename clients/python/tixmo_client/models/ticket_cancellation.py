from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.order_status import OrderStatus
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.refund_read import RefundRead
  from ..models.ticket_read import TicketRead





T = TypeVar("T", bound="TicketCancellation")



@_attrs_define
class TicketCancellation:
    """ 
        Attributes:
            currency (str):
            order_id (UUID):
            order_status (OrderStatus):
            refund (None | RefundRead):
            refunded (str): The ticket's paid share refunded (0.00 for a free order).
            ticket (TicketRead):
     """

    currency: str
    order_id: UUID
    order_status: OrderStatus
    refund: None | RefundRead
    refunded: str
    ticket: TicketRead
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.refund_read import RefundRead # noqa: PLC0415
        from ..models.ticket_read import TicketRead # noqa: PLC0415
        currency = self.currency

        order_id = str(self.order_id)

        order_status = self.order_status.value

        refund: dict[str, Any] | None
        if isinstance(self.refund, RefundRead):
            refund = self.refund.to_dict()
        else:
            refund = self.refund

        refunded = self.refunded

        ticket = self.ticket.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "currency": currency,
            "orderId": order_id,
            "orderStatus": order_status,
            "refund": refund,
            "refunded": refunded,
            "ticket": ticket,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.refund_read import RefundRead # noqa: PLC0415
        from ..models.ticket_read import TicketRead # noqa: PLC0415
        d = dict(src_dict)
        currency = d.pop("currency")

        order_id = UUID(d.pop("orderId"))




        order_status = OrderStatus(d.pop("orderStatus"))




        def _parse_refund(data: object) -> None | RefundRead:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                refund_type_0 = RefundRead.from_dict(data)



                return refund_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RefundRead, data)

        refund = _parse_refund(d.pop("refund"))


        refunded = d.pop("refunded")

        ticket = TicketRead.from_dict(d.pop("ticket"))




        ticket_cancellation = cls(
            currency=currency,
            order_id=order_id,
            order_status=order_status,
            refund=refund,
            refunded=refunded,
            ticket=ticket,
        )


        ticket_cancellation.additional_properties = d
        return ticket_cancellation

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
