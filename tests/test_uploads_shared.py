"""Uploads shared between replicas through the artifact store (`UploadStore.share`): an upload
saved by one replica's store is read by another's with its own folder, documents and audio
alike; a store that is not shared changes nothing; a refused put leaves nothing behind."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import trio

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


class _Together(LocalStore):
    """Every fetch waits until `n` of them are in flight, then copies: reads that race."""

    def __init__(self, root: Path, n: int) -> None:
        super().__init__(root, shared=True)
        self.n, self.waiting, self.go = n, 0, trio.Event()

    async def fetch(self, key: str, path: Path) -> bool:
        self.waiting += 1
        if self.waiting >= self.n:
            self.go.set()
        with trio.move_on_after(0.1):  # the lock lets one in at a time: it goes alone
            await self.go.wait()
        return await super().fetch(key, path)


async def test_concurrent_reads_of_an_upload_new_here_all_get_it(tmp_path: Path) -> None:
    a, b = UploadStore(tmp_path / "a" / "uploads"), UploadStore(tmp_path / "b" / "uploads")
    a.share(LocalStore(tmp_path / "shared", shared=True))
    b.share(_Together(tmp_path / "shared", 8))
    document = MARKDOWN + b"Magma. " * 200_000  # a copy long enough to overlap
    info = await a.save("volcanoes.md", document, "text/markdown")
    titles: list[str] = []

    async def read() -> None:
        titles.append((await b.load(info.upload_id)).title)

    async with trio.open_nursery() as nursery:
        for _ in range(8):
            nursery.start_soon(read)
    assert titles == ["Volcanoes"] * 8
    assert not [p for p in b.root.iterdir() if p.name.startswith(".")]  # no part file left


async def test_an_audio_record_fetched_by_a_load_of_the_wrong_kind_still_loads(
    tmp_path: Path,
) -> None:
    a, b = _pair(tmp_path)
    data = make_audio(tmp_path / "tone.wav").read_bytes()
    info = await a.save_audio("tone.wav", data, "audio/wav")
    with pytest.raises(UploadWrongKind):
        await b.load(info.upload_id)  # fetches the record alone
    assert (await b.load_audio(info.upload_id)).path.read_bytes() == data


class _RefusingRecords(LocalStore):
    """Takes the audio file, refuses the record that names it (a bucket failing mid-upload)."""

    async def put(self, key: str, path: Path) -> None:
        if key.endswith(".json"):
            raise ArtifactStoreFailed("put", key, "the bucket refused")
        await super().put(key, path)


async def test_an_audio_upload_whose_record_is_refused_leaves_nothing_shared(
    tmp_path: Path,
) -> None:
    store = UploadStore(tmp_path / "uploads")
    store.share(_RefusingRecords(tmp_path / "shared", shared=True))
    data = make_audio(tmp_path / "tone.wav").read_bytes()
    with pytest.raises(ArtifactStoreFailed):
        await store.save_audio("tone.wav", data, "audio/wav")
    assert list(store.root.iterdir()) == []
    assert list((tmp_path / "shared" / SHARED_PREFIX).iterdir()) == []  # the audio removed too


class _Hanging(LocalStore):
    """Puts every file, then hangs after the record's (a bucket that stops answering)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, shared=True)
        self.hung = trio.Event()

    async def put(self, key: str, path: Path) -> None:
        await super().put(key, path)
        if key.endswith(".json"):
            self.hung.set()
            await trio.sleep_forever()


@pytest.mark.parametrize("kind", ["document", "audio"])
async def test_a_cancelled_upload_leaves_nothing_shared_and_nothing_here(
    tmp_path: Path, kind: str
) -> None:
    store = UploadStore(tmp_path / "uploads")
    files = _Hanging(tmp_path / "shared")
    store.share(files)
    data = make_audio(tmp_path / "tone.wav").read_bytes()

    async def save() -> None:
        if kind == "document":
            await store.save("volcanoes.md", MARKDOWN, "text/markdown")
        else:
            await store.save_audio("tone.wav", data, "audio/wav")

    async with trio.open_nursery() as nursery:
        nursery.start_soon(save)
        with trio.fail_after(30):
            await files.hung.wait()
        assert len(list((tmp_path / "shared" / SHARED_PREFIX).iterdir())) == (
            1 if kind == "document" else 2
        )
        nursery.cancel_scope.cancel()  # the client hung up
    assert list(store.root.iterdir()) == []
    assert list((tmp_path / "shared" / SHARED_PREFIX).iterdir()) == []
