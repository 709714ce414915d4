from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.price_tier_read_kind import PriceTierReadKind
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="PriceTierRead")



@_attrs_define
class PriceTierRead:
    """ 
        Attributes:
            kind (PriceTierReadKind):
            name (None | str):
            price (str):
            after_sold_percent (int | None | Unset):
            until (datetime.datetime | None | Unset):
     """

    kind: PriceTierReadKind
    name: None | str
    price: str
    after_sold_percent: int | None | Unset = UNSET
    until: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        name: None | str
        name = self.name

        price = self.price

        after_sold_percent: int | None | Unset
        if isinstance(self.after_sold_percent, Unset):
            after_sold_percent = UNSET
        else:
            after_sold_percent = self.after_sold_percent

        until: None | str | Unset
        if isinstance(self.until, Unset):
            until = UNSET
        elif isinstance(self.until, datetime.datetime):
            until = self.until.isoformat()
        else:
            until = self.until


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "name": name,
            "price": price,
        })
        if after_sold_percent is not UNSET:
            field_dict["afterSoldPercent"] = after_sold_percent
        if until is not UNSET:
            field_dict["until"] = until

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = PriceTierReadKind(d.pop("kind"))




        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))


        price = d.pop("price")

        def _parse_after_sold_percent(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        after_sold_percent = _parse_after_sold_percent(d.pop("afterSoldPercent", UNSET))


        def _parse_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                until_type_0 = datetime.datetime.fromisoformat(data)



                return until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        until = _parse_until(d.pop("until", UNSET))


        price_tier_read = cls(
            kind=kind,
            name=name,
            price=price,
            after_sold_percent=after_sold_percent,
            until=until,
        )


        price_tier_read.additional_properties = d
        return price_tier_read

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
