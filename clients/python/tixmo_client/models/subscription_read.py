from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.frequency import Frequency
from ..models.report import Report
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="SubscriptionRead")



@_attrs_define
class SubscriptionRead:
    """ 
        Attributes:
            created_at (datetime.datetime):
            created_by (None | UUID):
            event_id (None | UUID):
            frequency (Frequency):
            id (UUID):
            is_active (bool):
            last_period_sent (datetime.datetime | None): Start of the latest period mailed.
            organization_id (UUID):
            recipients (list[UUID]): Members of the organization who receive it.
            report (Report):
            timezone (None | str): Cuts the days and the periods; null: UTC periods.
            updated_at (datetime.datetime):
     """

    created_at: datetime.datetime
    created_by: None | UUID
    event_id: None | UUID
    frequency: Frequency
    id: UUID
    is_active: bool
    last_period_sent: datetime.datetime | None
    organization_id: UUID
    recipients: list[UUID]
    report: Report
    timezone: None | str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        event_id: None | str
        if isinstance(self.event_id, UUID):
            event_id = str(self.event_id)
        else:
            event_id = self.event_id

        frequency = self.frequency.value

        id = str(self.id)

        is_active = self.is_active

        last_period_sent: None | str
        if isinstance(self.last_period_sent, datetime.datetime):
            last_period_sent = self.last_period_sent.isoformat()
        else:
            last_period_sent = self.last_period_sent

        organization_id = str(self.organization_id)

        recipients = []
        for recipients_item_data in self.recipients:
            recipients_item = str(recipients_item_data)
            recipients.append(recipients_item)



        report = self.report.value

        timezone: None | str
        timezone = self.timezone

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "createdBy": created_by,
            "eventId": event_id,
            "frequency": frequency,
            "id": id,
            "isActive": is_active,
            "lastPeriodSent": last_period_sent,
            "organizationId": organization_id,
            "recipients": recipients,
            "report": report,
            "timezone": timezone,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        def _parse_created_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)



                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        created_by = _parse_created_by(d.pop("createdBy"))


        def _parse_event_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                event_id_type_0 = UUID(data)



                return event_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        event_id = _parse_event_id(d.pop("eventId"))


        frequency = Frequency(d.pop("frequency"))




        id = UUID(d.pop("id"))




        is_active = d.pop("isActive")

        def _parse_last_period_sent(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_period_sent_type_0 = datetime.datetime.fromisoformat(data)



                return last_period_sent_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_period_sent = _parse_last_period_sent(d.pop("lastPeriodSent"))


        organization_id = UUID(d.pop("organizationId"))




        recipients = []
        _recipients = d.pop("recipients")
        for recipients_item_data in (_recipients):
            recipients_item = UUID(recipients_item_data)



            recipients.append(recipients_item)


        report = Report(d.pop("report"))




        def _parse_timezone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        timezone = _parse_timezone(d.pop("timezone"))


        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        subscription_read = cls(
            created_at=created_at,
            created_by=created_by,
            event_id=event_id,
            frequency=frequency,
            id=id,
            is_active=is_active,
            last_period_sent=last_period_sent,
            organization_id=organization_id,
            recipients=recipients,
            report=report,
            timezone=timezone,
            updated_at=updated_at,
        )


        subscription_read.additional_properties = d
        return subscription_read

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
