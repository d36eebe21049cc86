"""HTTP: the Quart-Trio app (`app`) on Hypercorn (`serve`), its settings and state, health
checks, and the rooms `routes/` (one blueprint per module), `access/`, `http/`, `api/` and
`static/` (the web page)."""
