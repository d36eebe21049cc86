"""Knowledge sources, one module each, every one a `media.knowledge.model.KnowledgeSource`:

- `encyclopedia`: the shipped offline Wikipedia summaries (English, French, Spanish);
- `zim`: a Kiwix ZIM file the user points at (`--zim PATH`; the optional `zim` extra);
- `wikipedia_online`: Wikipedia's API (`--online`; the optional `online` extra).
"""
