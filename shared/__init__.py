"""Code every service and the gateway share: config, database, events, identity, errors."""
