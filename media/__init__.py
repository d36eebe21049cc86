"""Plain synchronous code, no Trio and no HTTP: the offline writer (`writer/`), phrase data
(`data/phrases/<language>.toml`), speech, slides (`slides/`), timeline, subtitles, audio and the
ffmpeg command."""
