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
  from ..models.notification_read_data import NotificationReadData





T = TypeVar("T", bound="NotificationRead")



@_attrs_define
class NotificationRead:
    """ 
        Attributes:
            body (str):
            created_at (datetime.datetime):
            data (NotificationReadData): Ids and names the notification is about (orderId, eventId, …).
            id (UUID):
            kind (str): account.welcome, order.confirmed, order.cancelled, order.expired, order.refunded,
                ticket.transfer.sent, ticket.transfer.received, event.reminder, event.cancelled, waitlist.joined,
                waitlist.offer, waitlist.expired
            read (bool):
            read_at (datetime.datetime | None):
            title (str):
     """

    body: str
    created_at: datetime.datetime
    data: NotificationReadData
    id: UUID
    kind: str
    read: bool
    read_at: datetime.datetime | None
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.notification_read_data import NotificationReadData # noqa: PLC0415
        body = self.body

        created_at = self.created_at.isoformat()

        data = self.data.to_dict()

        id = str(self.id)

        kind = self.kind

        read = self.read

        read_at: None | str
        if isinstance(self.read_at, datetime.datetime):
            read_at = self.read_at.isoformat()
        else:
            read_at = self.read_at

        title = self.title


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body": body,
            "createdAt": created_at,
            "data": data,
            "id": id,
            "kind": kind,
            "read": read,
            "readAt": read_at,
            "title": title,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.notification_read_data import NotificationReadData # noqa: PLC0415
        d = dict(src_dict)
        body = d.pop("body")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        data = NotificationReadData.from_dict(d.pop("data"))




        id = UUID(d.pop("id"))




        kind = d.pop("kind")

        read = d.pop("read")

        def _parse_read_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                read_at_type_0 = datetime.datetime.fromisoformat(data)



                return read_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        read_at = _parse_read_at(d.pop("readAt"))


        title = d.pop("title")

        notification_read = cls(
            body=body,
            created_at=created_at,
            data=data,
            id=id,
            kind=kind,
            read=read,
            read_at=read_at,
            title=title,
        )


        notification_read.additional_properties = d
        return notification_read

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
