"""The GraphQL schema, one package per domain, assembled into one schema per party type."""
