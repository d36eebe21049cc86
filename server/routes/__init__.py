"""The routes, one blueprint per module: generate and cancel, progress (SSE), read-only
routes, video ranges, system (health, debug, OpenAPI, the page), static files, session
(sign-in) and the WebSocket."""
