"""The runtime on Trio, in rooms: `runtime/` (registry, supervisors, admission, broadcast),
`stages/` (the stage actors), `adapters/` (store, storage, media port, processes, writers) and
`llm/` (the LLM writer); `errors` is the tree of what it raises, `limits` every bound."""
