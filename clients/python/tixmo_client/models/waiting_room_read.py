from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="WaitingRoomRead")



@_attrs_define
class WaitingRoomRead:
    """ 
        Attributes:
            admit_per_minute (int | None): Passes per minute; null: automatic, from the checkout rate of the last 5 minutes.
            admitted (int): Passes issued.
            closed_at (datetime.datetime | None): When the event sold out and admission stopped.
            drawn_at (datetime.datetime | None): When the early arrivals were shuffled.
            enabled (bool):
            expired (int): Passes that ran out unused.
            joined (int): People who joined the room.
            opens_at (datetime.datetime): Who joins before this is shuffled at random among the early arrivals.
            pass_minutes (int): How long an admission pass stays valid once issued.
            updated_at (datetime.datetime):
            used (int): Passes that placed their order.
     """

    admit_per_minute: int | None
    admitted: int
    closed_at: datetime.datetime | None
    drawn_at: datetime.datetime | None
    enabled: bool
    expired: int
    joined: int
    opens_at: datetime.datetime
    pass_minutes: int
    updated_at: datetime.datetime
    used: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        admit_per_minute: int | None
        admit_per_minute = self.admit_per_minute

        admitted = self.admitted

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        drawn_at: None | str
        if isinstance(self.drawn_at, datetime.datetime):
            drawn_at = self.drawn_at.isoformat()
        else:
            drawn_at = self.drawn_at

        enabled = self.enabled

        expired = self.expired

        joined = self.joined

        opens_at = self.opens_at.isoformat()

        pass_minutes = self.pass_minutes

        updated_at = self.updated_at.isoformat()

        used = self.used


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "admitPerMinute": admit_per_minute,
            "admitted": admitted,
            "closedAt": closed_at,
            "drawnAt": drawn_at,
            "enabled": enabled,
            "expired": expired,
            "joined": joined,
            "opensAt": opens_at,
            "passMinutes": pass_minutes,
            "updatedAt": updated_at,
            "used": used,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_admit_per_minute(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        admit_per_minute = _parse_admit_per_minute(d.pop("admitPerMinute"))


        admitted = d.pop("admitted")

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)



                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closedAt"))


        def _parse_drawn_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                drawn_at_type_0 = datetime.datetime.fromisoformat(data)



                return drawn_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        drawn_at = _parse_drawn_at(d.pop("drawnAt"))


        enabled = d.pop("enabled")

        expired = d.pop("expired")

        joined = d.pop("joined")

        opens_at = datetime.datetime.fromisoformat(d.pop("opensAt"))




        pass_minutes = d.pop("passMinutes")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        used = d.pop("used")

        waiting_room_read = cls(
            admit_per_minute=admit_per_minute,
            admitted=admitted,
            closed_at=closed_at,
            drawn_at=drawn_at,
            enabled=enabled,
            expired=expired,
            joined=joined,
            opens_at=opens_at,
            pass_minutes=pass_minutes,
            updated_at=updated_at,
            used=used,
        )


        waiting_room_read.additional_properties = d
        return waiting_room_read

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
