from tests.notifications.conftest import mail_settings, sink, smtp

__all__ = ["mail_settings", "sink", "smtp"]
