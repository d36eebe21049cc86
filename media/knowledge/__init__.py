"""What is known about a topic, offline first: knowledge sources, documents and retrieval.

- `model`: the types every source hands the writers (`Document`, `SourceRef`, `Grounding`);
- `errors`: `KnowledgeError` (a broken source), `DocumentError` (an unreadable document);
- `sources/`: one module per kind of source (the shipped encyclopedia, ZIM files, online
  Wikipedia); a new source is one file there implementing `model.KnowledgeSource`;
- `documents/`: the user's material (text, Markdown, PDF, HTML) read into a `Document`;
- `retrieve`: the main article and related ones for a topic, from every configured source.

Sync code with no shared mutable state besides read-only indexes built once per process.
"""
