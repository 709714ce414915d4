from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="ScannerCreate")



@_attrs_define
class ScannerCreate:
    """ 
        Attributes:
            event_id (UUID):
            name (str):
     """

    event_id: UUID
    name: str





    def to_dict(self) -> dict[str, Any]:
        event_id = str(self.event_id)

        name = self.name


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "eventId": event_id,
            "name": name,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = UUID(d.pop("eventId"))




        name = d.pop("name")

        scanner_create = cls(
            event_id=event_id,
            name=name,
        )

        return scanner_create

