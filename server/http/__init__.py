"""HTTP itself, apart from any route: JSON bodies within bounds (`jsonbody`), byte ranges per
RFC 9110 (`ranges`), Server-Sent Events framing (`sse`), error bodies (`errors`), the one map
from domain errors to statuses (`error_map`), and closing a connection after its answer
(`closing`)."""
