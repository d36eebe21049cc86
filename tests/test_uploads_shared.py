"""Uploads shared between replicas through the artifact store (`UploadStore.share`): an upload
saved by one replica's store is read by another's with its own folder, documents and audio
alike; a store that is not shared changes nothing; a refused put leaves nothing behind."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.test_music import make_audio
from tests.test_uploads import MARKDOWN
from videogen.actors.adapters.object_store import LocalStore
from videogen.actors.adapters.uploads import SHARED_PREFIX, UploadStore
from videogen.actors.errors import ArtifactStoreFailed, UploadNotFound, UploadWrongKind

if TYPE_CHECKING:
    from pathlib import Path


def _pair(tmp_path: Path, *, shared: bool = True) -> tuple[UploadStore, UploadStore]:
    files = LocalStore(tmp_path / "shared", shared=shared)
    a, b = UploadStore(tmp_path / "a" / "uploads"), UploadStore(tmp_path / "b" / "uploads")
    a.share(files)
    b.share(files)
    return a, b


async def test_a_document_saved_on_one_replica_is_read_on_another(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    info = await a.save("volcanoes.md", MARKDOWN, "text/markdown")
    assert (tmp_path / "shared" / SHARED_PREFIX / f"{info.upload_id}.json").is_file()
    assert not b.root.exists()
    document = await b.load(info.upload_id)
    assert document.title == "Volcanoes" and document.origin == "volcanoes.md"
    assert (b.root / f"{info.upload_id}.json").is_file()  # kept: read locally from now on
    with pytest.raises(UploadWrongKind):
        await b.load_audio(info.upload_id)
    with pytest.raises(UploadNotFound):
        await b.load("abcdefghijklmnop")


async def test_audio_saved_on_one_replica_is_read_on_another(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    data = make_audio(tmp_path / "tone.wav").read_bytes()
    info = await a.save_audio("tone.wav", data, "audio/wav")
    loaded = await b.load_audio(info.upload_id)
    assert loaded.path.parent == b.root and loaded.path.read_bytes() == data
    assert loaded.seconds == pytest.approx(3.0, abs=0.1)


async def test_a_store_of_its_own_shares_nothing(tmp_path: Path) -> None:
    a, b = _pair(tmp_path, shared=False)
    info = await a.save("volcanoes.md", MARKDOWN, "text/markdown")
    assert not (tmp_path / "shared").exists()
    with pytest.raises(UploadNotFound):
        await b.load(info.upload_id)


class _Refusing(LocalStore):
    async def put(self, key: str, path: Path) -> None:
        raise ArtifactStoreFailed("put", key, "the bucket refused")


async def test_an_upload_the_shared_store_refuses_is_not_kept(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads")
    store.share(_Refusing(tmp_path / "shared", shared=True))
    with pytest.raises(ArtifactStoreFailed):
        await store.save("volcanoes.md", MARKDOWN, "text/markdown")
    assert list(store.root.iterdir()) == []
