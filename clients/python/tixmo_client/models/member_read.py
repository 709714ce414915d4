from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.member_role import MemberRole
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="MemberRead")



@_attrs_define
class MemberRead:
    """ 
        Attributes:
            email (str):
            first_name (str):
            joined_at (datetime.datetime):
            last_name (str):
            role (MemberRole):
            user_id (UUID):
     """

    email: str
    first_name: str
    joined_at: datetime.datetime
    last_name: str
    role: MemberRole
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        first_name = self.first_name

        joined_at = self.joined_at.isoformat()

        last_name = self.last_name

        role = self.role.value

        user_id = str(self.user_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "email": email,
            "firstName": first_name,
            "joinedAt": joined_at,
            "lastName": last_name,
            "role": role,
            "userId": user_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        first_name = d.pop("firstName")

        joined_at = datetime.datetime.fromisoformat(d.pop("joinedAt"))




        last_name = d.pop("lastName")

        role = MemberRole(d.pop("role"))




        user_id = UUID(d.pop("userId"))




        member_read = cls(
            email=email,
            first_name=first_name,
            joined_at=joined_at,
            last_name=last_name,
            role=role,
            user_id=user_id,
        )


        member_read.additional_properties = d
        return member_read

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
