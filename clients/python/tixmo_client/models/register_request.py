from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.register_request_role import RegisterRequestRole
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RegisterRequest")



@_attrs_define
class RegisterRequest:
    """ 
        Attributes:
            email (str):
            first_name (str):
            last_name (str):
            password (str):
            phone (None | str | Unset):
            role (RegisterRequestRole | Unset):  Default: RegisterRequestRole.CUSTOMER.
     """

    email: str
    first_name: str
    last_name: str
    password: str
    phone: None | str | Unset = UNSET
    role: RegisterRequestRole | Unset = RegisterRequestRole.CUSTOMER





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        first_name = self.first_name

        last_name = self.last_name

        password = self.password

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
            "firstName": first_name,
            "lastName": last_name,
            "password": password,
        })
        if phone is not UNSET:
            field_dict["phone"] = phone
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        first_name = d.pop("firstName")

        last_name = d.pop("lastName")

        password = d.pop("password")

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))


        _role = d.pop("role", UNSET)
        role: RegisterRequestRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = RegisterRequestRole(_role)




        register_request = cls(
            email=email,
            first_name=first_name,
            last_name=last_name,
            password=password,
            phone=phone,
            role=role,
        )

        return register_request

