"""Integrations: organization API keys with scopes, and signed outgoing webhooks (docs/webhooks.md)."""
