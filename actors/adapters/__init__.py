"""What the runtime talks to outside itself: the store (SQLite), the data dir and its storage
checks, the media port (worker processes, ffmpeg), child processes, and content writers."""
