from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="WaitingRoomUpdate")



@_attrs_define
class WaitingRoomUpdate:
    """ Create (``opensAt`` required) or change the room; the fields given replace the stored ones.

        Attributes:
            admit_per_minute (int | None | Unset):
            admitted (Any | Unset): Read-only: send the value last read, or leave it out.
            closed_at (Any | Unset): Read-only: send the value last read, or leave it out.
            drawn_at (Any | Unset): Read-only: send the value last read, or leave it out.
            enabled (bool | None | Unset):
            expired (Any | Unset): Read-only: send the value last read, or leave it out.
            joined (Any | Unset): Read-only: send the value last read, or leave it out.
            opens_at (datetime.datetime | None | Unset):
            pass_minutes (int | None | Unset):
            updated_at (Any | Unset): Read-only: send the value last read, or leave it out.
            used (Any | Unset): Read-only: send the value last read, or leave it out.
     """

    admit_per_minute: int | None | Unset = UNSET
    admitted: Any | Unset = UNSET
    closed_at: Any | Unset = UNSET
    drawn_at: Any | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    expired: Any | Unset = UNSET
    joined: Any | Unset = UNSET
    opens_at: datetime.datetime | None | Unset = UNSET
    pass_minutes: int | None | Unset = UNSET
    updated_at: Any | Unset = UNSET
    used: Any | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        admit_per_minute: int | None | Unset
        if isinstance(self.admit_per_minute, Unset):
            admit_per_minute = UNSET
        else:
            admit_per_minute = self.admit_per_minute

        admitted = self.admitted

        closed_at = self.closed_at

        drawn_at = self.drawn_at

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        expired = self.expired

        joined = self.joined

        opens_at: None | str | Unset
        if isinstance(self.opens_at, Unset):
            opens_at = UNSET
        elif isinstance(self.opens_at, datetime.datetime):
            opens_at = self.opens_at.isoformat()
        else:
            opens_at = self.opens_at

        pass_minutes: int | None | Unset
        if isinstance(self.pass_minutes, Unset):
            pass_minutes = UNSET
        else:
            pass_minutes = self.pass_minutes

        updated_at = self.updated_at

        used = self.used


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if admit_per_minute is not UNSET:
            field_dict["admitPerMinute"] = admit_per_minute
        if admitted is not UNSET:
            field_dict["admitted"] = admitted
        if closed_at is not UNSET:
            field_dict["closedAt"] = closed_at
        if drawn_at is not UNSET:
            field_dict["drawnAt"] = drawn_at
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if expired is not UNSET:
            field_dict["expired"] = expired
        if joined is not UNSET:
            field_dict["joined"] = joined
        if opens_at is not UNSET:
            field_dict["opensAt"] = opens_at
        if pass_minutes is not UNSET:
            field_dict["passMinutes"] = pass_minutes
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if used is not UNSET:
            field_dict["used"] = used

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_admit_per_minute(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        admit_per_minute = _parse_admit_per_minute(d.pop("admitPerMinute", UNSET))


        admitted = d.pop("admitted", UNSET)

        closed_at = d.pop("closedAt", UNSET)

        drawn_at = d.pop("drawnAt", UNSET)

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))


        expired = d.pop("expired", UNSET)

        joined = d.pop("joined", UNSET)

        def _parse_opens_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                opens_at_type_0 = datetime.datetime.fromisoformat(data)



                return opens_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        opens_at = _parse_opens_at(d.pop("opensAt", UNSET))


        def _parse_pass_minutes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pass_minutes = _parse_pass_minutes(d.pop("passMinutes", UNSET))


        updated_at = d.pop("updatedAt", UNSET)

        used = d.pop("used", UNSET)

        waiting_room_update = cls(
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

        return waiting_room_update

