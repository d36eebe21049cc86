"""The LLM writer: an OpenAI-compatible HTTP client (`client`) and the writer on it (`writer`).
Its prompts and schemas are pure and live in `videogen.media.llm_prompts`."""
