from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.organization_type import OrganizationType
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="OrganizationUpdate")



@_attrs_define
class OrganizationUpdate:
    """ 
        Attributes:
            created_at (Any | Unset): Read-only: send the value last read, or leave it out.
            description (None | str | Unset):
            email (None | str | Unset):
            id (Any | Unset): Read-only: send the value last read, or leave it out.
            my_role (Any | Unset): Read-only: send the value last read, or leave it out.
            name (None | str | Unset):
            type_ (None | OrganizationType | Unset):
            updated_at (Any | Unset): Read-only: send the value last read, or leave it out.
            website (None | str | Unset):
     """

    created_at: Any | Unset = UNSET
    description: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    id: Any | Unset = UNSET
    my_role: Any | Unset = UNSET
    name: None | str | Unset = UNSET
    type_: None | OrganizationType | Unset = UNSET
    updated_at: Any | Unset = UNSET
    website: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        id = self.id

        my_role = self.my_role

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        elif isinstance(self.type_, OrganizationType):
            type_ = self.type_.value
        else:
            type_ = self.type_

        updated_at = self.updated_at

        website: None | str | Unset
        if isinstance(self.website, Unset):
            website = UNSET
        else:
            website = self.website


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if description is not UNSET:
            field_dict["description"] = description
        if email is not UNSET:
            field_dict["email"] = email
        if id is not UNSET:
            field_dict["id"] = id
        if my_role is not UNSET:
            field_dict["myRole"] = my_role
        if name is not UNSET:
            field_dict["name"] = name
        if type_ is not UNSET:
            field_dict["type"] = type_
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if website is not UNSET:
            field_dict["website"] = website

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("createdAt", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))


        id = d.pop("id", UNSET)

        my_role = d.pop("myRole", UNSET)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_type_(data: object) -> None | OrganizationType | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_0 = OrganizationType(data)



                return type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OrganizationType | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))


        updated_at = d.pop("updatedAt", UNSET)

        def _parse_website(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        website = _parse_website(d.pop("website", UNSET))


        organization_update = cls(
            created_at=created_at,
            description=description,
            email=email,
            id=id,
            my_role=my_role,
            name=name,
            type_=type_,
            updated_at=updated_at,
            website=website,
        )

        return organization_update

