"""The user's material and fetched pages read into a `media.knowledge.model.Document`:

- `text`: plain text and Markdown (sections at their headings);
- `pdf`: PDF through pypdf (encrypted, image-only and corrupt files refused);
- `html`: HTML to sections, paragraphs and pictures (also ZIM articles and web pages);
- `read`: one entry point that tells the kinds apart by their bytes and name.

Each raises `media.knowledge.errors.DocumentError` with a message fit for a client.
"""
