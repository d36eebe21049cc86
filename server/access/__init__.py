"""Who may do what: the Host, Origin and key checks every request passes (`checks`), user keys
(`keys`), sign-in sessions (`sessions`) and the per-client rate limit (`ratelimit`)."""
