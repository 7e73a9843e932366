"""Each domain's words, owned by the service of that domain and imported by the gateway, so that
the two never declare them twice: error codes (``ErrorCode``), categories, skills, statuses
that clients filter by."""
