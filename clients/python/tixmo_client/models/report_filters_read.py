from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ReportFiltersRead")



@_attrs_define
class ReportFiltersRead:
    """ 
        Attributes:
            event_id (None | UUID):
            from_ (datetime.datetime): Start of the range (inclusive), UTC.
            organization_id (None | UUID):
            to (datetime.datetime): End of the range (exclusive), UTC.
            tz (None | str): The zone that cuts the days; null: each event's own time zone.
     """

    event_id: None | UUID
    from_: datetime.datetime
    organization_id: None | UUID
    to: datetime.datetime
    tz: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        event_id: None | str
        if isinstance(self.event_id, UUID):
            event_id = str(self.event_id)
        else:
            event_id = self.event_id

        from_ = self.from_.isoformat()

        organization_id: None | str
        if isinstance(self.organization_id, UUID):
            organization_id = str(self.organization_id)
        else:
            organization_id = self.organization_id

        to = self.to.isoformat()

        tz: None | str
        tz = self.tz


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "eventId": event_id,
            "from": from_,
            "organizationId": organization_id,
            "to": to,
            "tz": tz,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
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


        from_ = datetime.datetime.fromisoformat(d.pop("from"))




        def _parse_organization_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                organization_id_type_0 = UUID(data)



                return organization_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        organization_id = _parse_organization_id(d.pop("organizationId"))


        to = datetime.datetime.fromisoformat(d.pop("to"))




        def _parse_tz(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tz = _parse_tz(d.pop("tz"))


        report_filters_read = cls(
            event_id=event_id,
            from_=from_,
            organization_id=organization_id,
            to=to,
            tz=tz,
        )


        report_filters_read.additional_properties = d
        return report_filters_read

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
