from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.bundle_ticket import BundleTicket
  from ..models.public_key_read import PublicKeyRead





T = TypeVar("T", bound="SyncBundle")



@_attrs_define
class SyncBundle:
    """ 
        Attributes:
            event_id (UUID):
            full (bool): True when `tickets` is the whole list (no `since`), else the changes.
            public_keys (list[PublicKeyRead]):
            revoked (list[str]):
            synced_at (datetime.datetime):
            tickets (list[BundleTicket]):
     """

    event_id: UUID
    full: bool
    public_keys: list[PublicKeyRead]
    revoked: list[str]
    synced_at: datetime.datetime
    tickets: list[BundleTicket]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.bundle_ticket import BundleTicket # noqa: PLC0415
        from ..models.public_key_read import PublicKeyRead # noqa: PLC0415
        event_id = str(self.event_id)

        full = self.full

        public_keys = []
        for public_keys_item_data in self.public_keys:
            public_keys_item = public_keys_item_data.to_dict()
            public_keys.append(public_keys_item)



        revoked = self.revoked



        synced_at = self.synced_at.isoformat()

        tickets = []
        for tickets_item_data in self.tickets:
            tickets_item = tickets_item_data.to_dict()
            tickets.append(tickets_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "eventId": event_id,
            "full": full,
            "publicKeys": public_keys,
            "revoked": revoked,
            "syncedAt": synced_at,
            "tickets": tickets,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bundle_ticket import BundleTicket # noqa: PLC0415
        from ..models.public_key_read import PublicKeyRead # noqa: PLC0415
        d = dict(src_dict)
        event_id = UUID(d.pop("eventId"))




        full = d.pop("full")

        public_keys = []
        _public_keys = d.pop("publicKeys")
        for public_keys_item_data in (_public_keys):
            public_keys_item = PublicKeyRead.from_dict(public_keys_item_data)



            public_keys.append(public_keys_item)


        revoked = cast(list[str], d.pop("revoked"))


        synced_at = datetime.datetime.fromisoformat(d.pop("syncedAt"))




        tickets = []
        _tickets = d.pop("tickets")
        for tickets_item_data in (_tickets):
            tickets_item = BundleTicket.from_dict(tickets_item_data)



            tickets.append(tickets_item)


        sync_bundle = cls(
            event_id=event_id,
            full=full,
            public_keys=public_keys,
            revoked=revoked,
            synced_at=synced_at,
            tickets=tickets,
        )


        sync_bundle.additional_properties = d
        return sync_bundle

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
