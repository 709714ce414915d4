from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="DeliveryRead")



@_attrs_define
class DeliveryRead:
    """ 
        Attributes:
            attempt (int):
            created_at (datetime.datetime):
            duration_ms (int | None):
            error (None | str):
            event_id (UUID):
            id (UUID):
            response_code (int | None):
            response_excerpt (None | str):
            status (str):
            type_ (str):
     """

    attempt: int
    created_at: datetime.datetime
    duration_ms: int | None
    error: None | str
    event_id: UUID
    id: UUID
    response_code: int | None
    response_excerpt: None | str
    status: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        created_at = self.created_at.isoformat()

        duration_ms: int | None
        duration_ms = self.duration_ms

        error: None | str
        error = self.error

        event_id = str(self.event_id)

        id = str(self.id)

        response_code: int | None
        response_code = self.response_code

        response_excerpt: None | str
        response_excerpt = self.response_excerpt

        status = self.status

        type_ = self.type_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempt": attempt,
            "createdAt": created_at,
            "durationMs": duration_ms,
            "error": error,
            "eventId": event_id,
            "id": id,
            "responseCode": response_code,
            "responseExcerpt": response_excerpt,
            "status": status,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempt = d.pop("attempt")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        def _parse_duration_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_ms = _parse_duration_ms(d.pop("durationMs"))


        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        event_id = UUID(d.pop("eventId"))




        id = UUID(d.pop("id"))




        def _parse_response_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        response_code = _parse_response_code(d.pop("responseCode"))


        def _parse_response_excerpt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response_excerpt = _parse_response_excerpt(d.pop("responseExcerpt"))


        status = d.pop("status")

        type_ = d.pop("type")

        delivery_read = cls(
            attempt=attempt,
            created_at=created_at,
            duration_ms=duration_ms,
            error=error,
            event_id=event_id,
            id=id,
            response_code=response_code,
            response_excerpt=response_excerpt,
            status=status,
            type_=type_,
        )


        delivery_read.additional_properties = d
        return delivery_read

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
