from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.price_tier_input_kind import PriceTierInputKind
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="PriceTierInput")



@_attrs_define
class PriceTierInput:
    """ One pricing rule. DATE: ``{kind, until, price}``; DEMAND: ``{kind, afterSoldPercent, price}``.

        Attributes:
            kind (PriceTierInputKind):
            price (str):
            after_sold_percent (int | None | Unset): DEMAND tiers: applies once sold >= this percentage of quantityTotal.
            name (None | str | Unset):
            until (datetime.datetime | None | Unset): DATE tiers: the price applies while now < until.
     """

    kind: PriceTierInputKind
    price: str
    after_sold_percent: int | None | Unset = UNSET
    name: None | str | Unset = UNSET
    until: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        price = self.price

        after_sold_percent: int | None | Unset
        if isinstance(self.after_sold_percent, Unset):
            after_sold_percent = UNSET
        else:
            after_sold_percent = self.after_sold_percent

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        until: None | str | Unset
        if isinstance(self.until, Unset):
            until = UNSET
        elif isinstance(self.until, datetime.datetime):
            until = self.until.isoformat()
        else:
            until = self.until


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "kind": kind,
            "price": price,
        })
        if after_sold_percent is not UNSET:
            field_dict["afterSoldPercent"] = after_sold_percent
        if name is not UNSET:
            field_dict["name"] = name
        if until is not UNSET:
            field_dict["until"] = until

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = PriceTierInputKind(d.pop("kind"))




        price = d.pop("price")

        def _parse_after_sold_percent(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        after_sold_percent = _parse_after_sold_percent(d.pop("afterSoldPercent", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


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


        price_tier_input = cls(
            kind=kind,
            price=price,
            after_sold_percent=after_sold_percent,
            name=name,
            until=until,
        )

        return price_tier_input

