from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.frequency import Frequency
from ..models.report import Report
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="SubscriptionCreate")



@_attrs_define
class SubscriptionCreate:
    """ 
        Attributes:
            frequency (Frequency):
            organization_id (UUID):
            recipients (list[UUID]):
            report (Report):
            event_id (None | Unset | UUID):
            timezone (None | str | Unset):
     """

    frequency: Frequency
    organization_id: UUID
    recipients: list[UUID]
    report: Report
    event_id: None | Unset | UUID = UNSET
    timezone: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        frequency = self.frequency.value

        organization_id = str(self.organization_id)

        recipients = []
        for recipients_item_data in self.recipients:
            recipients_item = str(recipients_item_data)
            recipients.append(recipients_item)



        report = self.report.value

        event_id: None | str | Unset
        if isinstance(self.event_id, Unset):
            event_id = UNSET
        elif isinstance(self.event_id, UUID):
            event_id = str(self.event_id)
        else:
            event_id = self.event_id

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "frequency": frequency,
            "organizationId": organization_id,
            "recipients": recipients,
            "report": report,
        })
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if timezone is not UNSET:
            field_dict["timezone"] = timezone

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        frequency = Frequency(d.pop("frequency"))




        organization_id = UUID(d.pop("organizationId"))




        recipients = []
        _recipients = d.pop("recipients")
        for recipients_item_data in (_recipients):
            recipients_item = UUID(recipients_item_data)



            recipients.append(recipients_item)


        report = Report(d.pop("report"))




        def _parse_event_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                event_id_type_0 = UUID(data)



                return event_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        event_id = _parse_event_id(d.pop("eventId", UNSET))


        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))


        subscription_create = cls(
            frequency=frequency,
            organization_id=organization_id,
            recipients=recipients,
            report=report,
            event_id=event_id,
            timezone=timezone,
        )

        return subscription_create

