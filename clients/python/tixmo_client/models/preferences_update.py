from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="PreferencesUpdate")



@_attrs_define
class PreferencesUpdate:
    """ Partial: the fields given change, the others stay. ``null`` is refused.

        Attributes:
            email_enabled (bool | None | Unset):
            event_reminders (bool | None | Unset):
            marketing (bool | None | Unset):
            order_updates (bool | None | Unset):
            ticket_transfers (bool | None | Unset):
            updated_at (Any | Unset): Read-only: send the value last read, or leave it out.
     """

    email_enabled: bool | None | Unset = UNSET
    event_reminders: bool | None | Unset = UNSET
    marketing: bool | None | Unset = UNSET
    order_updates: bool | None | Unset = UNSET
    ticket_transfers: bool | None | Unset = UNSET
    updated_at: Any | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        email_enabled: bool | None | Unset
        if isinstance(self.email_enabled, Unset):
            email_enabled = UNSET
        else:
            email_enabled = self.email_enabled

        event_reminders: bool | None | Unset
        if isinstance(self.event_reminders, Unset):
            event_reminders = UNSET
        else:
            event_reminders = self.event_reminders

        marketing: bool | None | Unset
        if isinstance(self.marketing, Unset):
            marketing = UNSET
        else:
            marketing = self.marketing

        order_updates: bool | None | Unset
        if isinstance(self.order_updates, Unset):
            order_updates = UNSET
        else:
            order_updates = self.order_updates

        ticket_transfers: bool | None | Unset
        if isinstance(self.ticket_transfers, Unset):
            ticket_transfers = UNSET
        else:
            ticket_transfers = self.ticket_transfers

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if email_enabled is not UNSET:
            field_dict["emailEnabled"] = email_enabled
        if event_reminders is not UNSET:
            field_dict["eventReminders"] = event_reminders
        if marketing is not UNSET:
            field_dict["marketing"] = marketing
        if order_updates is not UNSET:
            field_dict["orderUpdates"] = order_updates
        if ticket_transfers is not UNSET:
            field_dict["ticketTransfers"] = ticket_transfers
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_email_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        email_enabled = _parse_email_enabled(d.pop("emailEnabled", UNSET))


        def _parse_event_reminders(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        event_reminders = _parse_event_reminders(d.pop("eventReminders", UNSET))


        def _parse_marketing(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        marketing = _parse_marketing(d.pop("marketing", UNSET))


        def _parse_order_updates(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        order_updates = _parse_order_updates(d.pop("orderUpdates", UNSET))


        def _parse_ticket_transfers(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        ticket_transfers = _parse_ticket_transfers(d.pop("ticketTransfers", UNSET))


        updated_at = d.pop("updatedAt", UNSET)

        preferences_update = cls(
            email_enabled=email_enabled,
            event_reminders=event_reminders,
            marketing=marketing,
            order_updates=order_updates,
            ticket_transfers=ticket_transfers,
            updated_at=updated_at,
        )

        return preferences_update

