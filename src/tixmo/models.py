"""Imports every table so ``Base.metadata`` is complete (Alembic, tests)."""

from tixmo.accounts.models import RefreshToken, User
from tixmo.audit.models import AuditEntry
from tixmo.db import Base
from tixmo.organizations.models import Membership, Organization

__all__ = ["AuditEntry", "Base", "Membership", "Organization", "RefreshToken", "User"]
