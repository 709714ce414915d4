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






T = TypeVar("T", bound="SubscriptionUpdate")



@_attrs_define
class SubscriptionUpdate:
    """ 
        Attributes:
            created_at (Any | Unset): Read-only: send the value last read, or leave it out.
            created_by (Any | Unset): Read-only: send the value last read, or leave it out.
            event_id (None | Unset | UUID):
            frequency (Frequency | None | Unset):
            id (Any | Unset): Read-only: send the value last read, or leave it out.
            is_active (bool | None | Unset):
            last_period_sent (Any | Unset): Read-only: send the value last read, or leave it out.
            organization_id (Any | Unset): Read-only: send the value last read, or leave it out.
            recipients (list[UUID] | None | Unset):
            report (None | Report | Unset):
            timezone (None | str | Unset):
            updated_at (Any | Unset): Read-only: send the value last read, or leave it out.
     """

    created_at: Any | Unset = UNSET
    created_by: Any | Unset = UNSET
    event_id: None | Unset | UUID = UNSET
    frequency: Frequency | None | Unset = UNSET
    id: Any | Unset = UNSET
    is_active: bool | None | Unset = UNSET
    last_period_sent: Any | Unset = UNSET
    organization_id: Any | Unset = UNSET
    recipients: list[UUID] | None | Unset = UNSET
    report: None | Report | Unset = UNSET
    timezone: None | str | Unset = UNSET
    updated_at: Any | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        created_by = self.created_by

        event_id: None | str | Unset
        if isinstance(self.event_id, Unset):
            event_id = UNSET
        elif isinstance(self.event_id, UUID):
            event_id = str(self.event_id)
        else:
            event_id = self.event_id

        frequency: None | str | Unset
        if isinstance(self.frequency, Unset):
            frequency = UNSET
        elif isinstance(self.frequency, Frequency):
            frequency = self.frequency.value
        else:
            frequency = self.frequency

        id = self.id

        is_active: bool | None | Unset
        if isinstance(self.is_active, Unset):
            is_active = UNSET
        else:
            is_active = self.is_active

        last_period_sent = self.last_period_sent

        organization_id = self.organization_id

        recipients: list[str] | None | Unset
        if isinstance(self.recipients, Unset):
            recipients = UNSET
        elif isinstance(self.recipients, list):
            recipients = []
            for recipients_type_0_item_data in self.recipients:
                recipients_type_0_item = str(recipients_type_0_item_data)
                recipients.append(recipients_type_0_item)


        else:
            recipients = self.recipients

        report: None | str | Unset
        if isinstance(self.report, Unset):
            report = UNSET
        elif isinstance(self.report, Report):
            report = self.report.value
        else:
            report = self.report

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if created_by is not UNSET:
            field_dict["createdBy"] = created_by
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if frequency is not UNSET:
            field_dict["frequency"] = frequency
        if id is not UNSET:
            field_dict["id"] = id
        if is_active is not UNSET:
            field_dict["isActive"] = is_active
        if last_period_sent is not UNSET:
            field_dict["lastPeriodSent"] = last_period_sent
        if organization_id is not UNSET:
            field_dict["organizationId"] = organization_id
        if recipients is not UNSET:
            field_dict["recipients"] = recipients
        if report is not UNSET:
            field_dict["report"] = report
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("createdAt", UNSET)

        created_by = d.pop("createdBy", UNSET)

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


        def _parse_frequency(data: object) -> Frequency | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                frequency_type_0 = Frequency(data)



                return frequency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Frequency | None | Unset, data)

        frequency = _parse_frequency(d.pop("frequency", UNSET))


        id = d.pop("id", UNSET)

        def _parse_is_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_active = _parse_is_active(d.pop("isActive", UNSET))


        last_period_sent = d.pop("lastPeriodSent", UNSET)

        organization_id = d.pop("organizationId", UNSET)

        def _parse_recipients(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                recipients_type_0 = []
                _recipients_type_0 = data
                for recipients_type_0_item_data in (_recipients_type_0):
                    recipients_type_0_item = UUID(recipients_type_0_item_data)



                    recipients_type_0.append(recipients_type_0_item)

                return recipients_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        recipients = _parse_recipients(d.pop("recipients", UNSET))


        def _parse_report(data: object) -> None | Report | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                report_type_0 = Report(data)



                return report_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Report | Unset, data)

        report = _parse_report(d.pop("report", UNSET))


        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))


        updated_at = d.pop("updatedAt", UNSET)

        subscription_update = cls(
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

        return subscription_update

