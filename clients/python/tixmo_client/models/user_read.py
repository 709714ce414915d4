from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.role import Role
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="UserRead")



@_attrs_define
class UserRead:
    """ 
        Attributes:
            created_at (datetime.datetime):
            email (str):
            first_name (str):
            id (UUID):
            last_name (str):
            phone (None | str):
            role (Role):
     """

    created_at: datetime.datetime
    email: str
    first_name: str
    id: UUID
    last_name: str
    phone: None | str
    role: Role
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        email = self.email

        first_name = self.first_name

        id = str(self.id)

        last_name = self.last_name

        phone: None | str
        phone = self.phone

        role = self.role.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "email": email,
            "firstName": first_name,
            "id": id,
            "lastName": last_name,
            "phone": phone,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        email = d.pop("email")

        first_name = d.pop("firstName")

        id = UUID(d.pop("id"))




        last_name = d.pop("lastName")

        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))


        role = Role(d.pop("role"))




        user_read = cls(
            created_at=created_at,
            email=email,
            first_name=first_name,
            id=id,
            last_name=last_name,
            phone=phone,
            role=role,
        )


        user_read.additional_properties = d
        return user_read

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
