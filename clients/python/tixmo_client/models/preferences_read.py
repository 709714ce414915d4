from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="PreferencesRead")



@_attrs_define
class PreferencesRead:
    """ 
        Attributes:
            email_enabled (bool): Off: no optional email at all. Transactional email (order confirmation with the tickets,
                refunds, a ticket received, event cancelled, waitlist offers) is always sent.
            event_reminders (bool): Email reminder 24 h before an event you hold tickets for.
            marketing (bool): News and offers (off by default).
            order_updates (bool): Email when a pending order is cancelled or expires.
            ticket_transfers (bool): Email confirming a transfer you made (received: always).
            updated_at (datetime.datetime):
     """

    email_enabled: bool
    event_reminders: bool
    marketing: bool
    order_updates: bool
    ticket_transfers: bool
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        email_enabled = self.email_enabled

        event_reminders = self.event_reminders

        marketing = self.marketing

        order_updates = self.order_updates

        ticket_transfers = self.ticket_transfers

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "emailEnabled": email_enabled,
            "eventReminders": event_reminders,
            "marketing": marketing,
            "orderUpdates": order_updates,
            "ticketTransfers": ticket_transfers,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email_enabled = d.pop("emailEnabled")

        event_reminders = d.pop("eventReminders")

        marketing = d.pop("marketing")

        order_updates = d.pop("orderUpdates")

        ticket_transfers = d.pop("ticketTransfers")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        preferences_read = cls(
            email_enabled=email_enabled,
            event_reminders=event_reminders,
            marketing=marketing,
            order_updates=order_updates,
            ticket_transfers=ticket_transfers,
            updated_at=updated_at,
        )


        preferences_read.additional_properties = d
        return preferences_read

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
