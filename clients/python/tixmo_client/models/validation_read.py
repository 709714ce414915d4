from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.invalid_reason import InvalidReason
from ..models.validation_status import ValidationStatus
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.ticket_read import TicketRead





T = TypeVar("T", bound="ValidationRead")



@_attrs_define
class ValidationRead:
    """ 
        Attributes:
            message (str):
            reason (InvalidReason | None): Why it is not valid; null when valid.
            status (ValidationStatus):
            valid (bool): True when this code would admit its holder now.
            ticket (None | TicketRead | Unset): The ticket, when the code names one of the caller's events' tickets.
     """

    message: str
    reason: InvalidReason | None
    status: ValidationStatus
    valid: bool
    ticket: None | TicketRead | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.ticket_read import TicketRead # noqa: PLC0415
        message = self.message

        reason: None | str
        if isinstance(self.reason, InvalidReason):
            reason = self.reason.value
        else:
            reason = self.reason

        status = self.status.value

        valid = self.valid

        ticket: dict[str, Any] | None | Unset
        if isinstance(self.ticket, Unset):
            ticket = UNSET
        elif isinstance(self.ticket, TicketRead):
            ticket = self.ticket.to_dict()
        else:
            ticket = self.ticket


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "message": message,
            "reason": reason,
            "status": status,
            "valid": valid,
        })
        if ticket is not UNSET:
            field_dict["ticket"] = ticket

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_read import TicketRead # noqa: PLC0415
        d = dict(src_dict)
        message = d.pop("message")

        def _parse_reason(data: object) -> InvalidReason | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = InvalidReason(data)



                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvalidReason | None, data)

        reason = _parse_reason(d.pop("reason"))


        status = ValidationStatus(d.pop("status"))




        valid = d.pop("valid")

        def _parse_ticket(data: object) -> None | TicketRead | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ticket_type_0 = TicketRead.from_dict(data)



                return ticket_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TicketRead | Unset, data)

        ticket = _parse_ticket(d.pop("ticket", UNSET))


        validation_read = cls(
            message=message,
            reason=reason,
            status=status,
            valid=valid,
            ticket=ticket,
        )


        validation_read.additional_properties = d
        return validation_read

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
