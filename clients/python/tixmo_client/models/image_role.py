from enum import StrEnum

class ImageRole(StrEnum):
    COVER = "COVER"
    GALLERY = "GALLERY"

    def __str__(self) -> str:
        return str(self.value)
