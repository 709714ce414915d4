from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ApiKeyTier")



@_attrs_define
class ApiKeyTier:
    """ 
        Attributes:
            rate_limit_per_minute (int | None):
     """

    rate_limit_per_minute: int | None





    def to_dict(self) -> dict[str, Any]:
        rate_limit_per_minute: int | None
        rate_limit_per_minute = self.rate_limit_per_minute


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "rateLimitPerMinute": rate_limit_per_minute,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_rate_limit_per_minute(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rate_limit_per_minute = _parse_rate_limit_per_minute(d.pop("rateLimitPerMinute"))


        api_key_tier = cls(
            rate_limit_per_minute=rate_limit_per_minute,
        )

        return api_key_tier

