from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.member_role import MemberRole
from ..models.organization_type import OrganizationType
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="OrganizationRead")



@_attrs_define
class OrganizationRead:
    """ 
        Attributes:
            created_at (datetime.datetime):
            description (None | str):
            email (None | str):
            id (UUID):
            name (str):
            type_ (OrganizationType):
            updated_at (datetime.datetime):
            website (None | str):
            my_role (MemberRole | None | Unset): The caller's role, if a member.
     """

    created_at: datetime.datetime
    description: None | str
    email: None | str
    id: UUID
    name: str
    type_: OrganizationType
    updated_at: datetime.datetime
    website: None | str
    my_role: MemberRole | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        description: None | str
        description = self.description

        email: None | str
        email = self.email

        id = str(self.id)

        name = self.name

        type_ = self.type_.value

        updated_at = self.updated_at.isoformat()

        website: None | str
        website = self.website

        my_role: None | str | Unset
        if isinstance(self.my_role, Unset):
            my_role = UNSET
        elif isinstance(self.my_role, MemberRole):
            my_role = self.my_role.value
        else:
            my_role = self.my_role


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "description": description,
            "email": email,
            "id": id,
            "name": name,
            "type": type_,
            "updatedAt": updated_at,
            "website": website,
        })
        if my_role is not UNSET:
            field_dict["myRole"] = my_role

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))


        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))


        id = UUID(d.pop("id"))




        name = d.pop("name")

        type_ = OrganizationType(d.pop("type"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_website(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        website = _parse_website(d.pop("website"))


        def _parse_my_role(data: object) -> MemberRole | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                my_role_type_0 = MemberRole(data)



                return my_role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MemberRole | None | Unset, data)

        my_role = _parse_my_role(d.pop("myRole", UNSET))


        organization_read = cls(
            created_at=created_at,
            description=description,
            email=email,
            id=id,
            name=name,
            type_=type_,
            updated_at=updated_at,
            website=website,
            my_role=my_role,
        )


        organization_read.additional_properties = d
        return organization_read

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
