"""The routes, one blueprint per module: generate and cancel, progress (SSE), read-only
routes, video ranges, exports (PPTX, PDF, ZIP), system (health, debug, OpenAPI, the page),
static files, session (sign-in) and the WebSocket."""
