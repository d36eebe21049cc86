"""Every bound of the runtime in one place: buffers, budgets, grace periods."""

from __future__ import annotations

import os
from typing import Final

from videogen.media import worker as _media_worker

# A subscriber's channel: past this many undelivered events it is dropped and resynced from the
# log, so a stalled browser never holds the generation or anyone else.
SUBSCRIBER_BUFFER: Final = 32
# Between stage actors each message is a whole artifact; one in flight is plenty.
STAGE_BUFFER: Final = 1
# Default admission bounds.
DEFAULT_MAX_RUNNING: Final = os.cpu_count() or 2
DEFAULT_MAX_QUEUED: Final = 100
# How long a cancelled child process gets between SIGTERM and SIGKILL. Its output is thrown
# away, so this only lets it exit politely; ffmpeg on SIGTERM finishes its buffered encode first
# (up to half a second), which would only delay the cancel.
PROCESS_GRACE: Final = 0.2
# Niceness of ffmpeg and of the speech/drawing workers: the Trio thread that answers requests
# keeps priority over batch work. Defined in `media.worker` (which sets it in each worker), so
# the workers and the child processes cannot drift apart.
BATCH_NICENESS: Final = _media_worker.BATCH_NICENESS
# Server shutdown: how long running generations may finish before they are interrupted.
SHUTDOWN_GRACE: Final = 3.0
# How long the supervisor keeps retrying a generation's terminal event when the database is busy
# or failing (and how long recording it may delay a teardown). Past it the event stays queued in
# the store, served to readers from memory, and the store's flusher writes it when it can.
TERMINAL_WRITE_GRACE: Final = 2.0

# SQLite's busy timeout: how long one statement waits for another connection's write lock. Long
# enough to ride out a checkpoint or a short backup, short enough that a request that meets a
# lock held elsewhere is answered (503) within about a second.
STORE_BUSY_TIMEOUT: Final = 1.0
# After a write found the database busy, later writes are only queued for this long before the
# next attempt, so a running generation is not slowed by a second per event.
STORE_RETRY_INTERVAL: Final = 1.0
# Progress events held in memory while the database cannot take them; past this a generation's
# next progress event fails it (its terminal event is always kept).
MAX_PENDING_WRITES: Final = 10_000
# At shutdown, how long queued writes may still be retried before they are given up (the next
# start then marks those generations interrupted).
STORE_FLUSH_GRACE: Final = 3.0
# The health check's own attempt to take the write lock (a fresh connection).
STORE_PROBE_TIMEOUT: Final = 0.5
# Connections of the store kept for point reads (one generation by id: a status, a record),
# so a status never queues behind a replay's or a listing's read on the reader, nor behind
# another status for longer than one short statement.
STORE_LOOKUP_CONNECTIONS: Final = 2

# Storage checks (health and admission): the data dir must accept a small file and keep this
# much free. A video of 30 slides needs some tens of MB of scratch and output.
MIN_FREE_BYTES: Final = 100 * 1024 * 1024
# How long admission trusts the last storage check: a burst of submits probes the disk once.
STORAGE_CHECK_TTL: Final = 2.0
# A storage check that takes longer than this (a hung mount) counts as failing.
STORAGE_CHECK_TIMEOUT: Final = 2.0

# Stage budgets in seconds: a base plus a share per slide. The supervisor arms them as deadlines
# when a stage starts working, so time spent queued or waiting on an inbox does not count.
_BUDGETS: Final[dict[str, tuple[float, float]]] = {
    "writer": (60.0, 2.0),
    "scripts": (60.0, 2.0),
    "speech": (30.0, 10.0),
    "slides": (20.0, 5.0),
    "compose": (60.0, 10.0),
}


def stage_budget(stage: str, slides: int) -> float:
    """Seconds `stage` may work on a deck of `slides` slides."""
    base, per_slide = _BUDGETS[stage]
    return base + per_slide * slides


# Shielded work has a time limit too (a shield without one could hold a teardown forever).
# Recording a newly admitted generation (its row, then its `queued` event) is shielded, so a
# client hanging up mid-submit never leaves it half-recorded. Each statement is bounded by the
# busy timeout; past this the submit is refused (503) and a row already written gets an `error`.
ADMISSION_RECORD_GRACE: Final = 5.0
# Removing a finished generation's scratch (or its whole folder) before its terminal event. A
# hung disk must not hold the terminal event back; past this the removal is left to the thread
# and to the sweep at the next start, and the generation ends anyway.
SCRATCH_REMOVAL_GRACE: Final = 2.0
# Removing from the shared store a file whose upload failed afterwards (an audio upload whose
# record could not be put): shielded, so a cancelled request still cleans up, for this long.
ARTIFACT_DELETE_GRACE: Final = 5.0
# Closing the database at shutdown (waiting for its connections, then SQLite's own close and
# WAL checkpoint). Past this the process goes on shutting down; the next open recovers the WAL.
STORE_CLOSE_GRACE: Final = 5.0
# The artifact cache (per-slide speech, frames, segments; `adapters.artifact_cache`): its bound
# by default, past which the least recently used artifacts are evicted. A 20-slide 720p deck
# makes about 10 MiB of them, so this keeps some two hundred decks' worth.
DEFAULT_CACHE_BYTES: Final = 2 * 1024**3
# How long releasing a render's lease may hold up its teardown (shielded: a few SQL statements
# and directory renames).
CACHE_RELEASE_GRACE: Final = 5.0
# Exports (PPTX, PDF) drawn at once, each in a worker thread: one per CPU would starve the
# generations, so one; a second request for the same file waits for the first instead.
EXPORT_THREADS: Final = 1

# Replicas on one PostgreSQL (`runtime.replicas`). A replica holds a lease on each generation it
# runs and renews it every tick; a generation whose lease has run out for this long belongs to
# a replica that died (kill -9, a lost machine), and the first replica to see it marks it
# interrupted. Long against a tick (a slow database or a paused process does not lose its
# leases), short enough that a crashed replica's generations end within seconds.
REPLICA_LEASE: Final = 5.0
# How often a replica renews its leases and looks for cancels asked on other replicas (so a
# cancel sent anywhere reaches the running replica within about this, even without NOTIFY).
REPLICA_TICK: Final = 0.25
# How often a replica looks for expired leases to take over.
REPLICA_REAP_INTERVAL: Final = 1.0
# The reaper wakes this long after the first lease it saw held runs out (the margin covers the
# replicas' clocks, read by `time.time()` on each; on one machine they are one clock).
REPLICA_REAP_MARGIN: Final = 0.01
# At most this many expired generations are taken over per look (one transaction each look).
REPLICA_REAP_BATCH: Final = 50
# How long a generation pinned to one replica (its uploads are on that replica's disk: no
# shared store) waits in the cluster's line after that replica stopped renewing it (each live
# replica renews its pinned ones every `REPLICA_REAP_INTERVAL`): long enough for a restart with
# the same `--replica-id` and data dir to pick it up, then it ends `interrupted` instead of
# waiting for ever for a replica that may never come back.
PIN_GRACE: Final = 60.0
# A client's rate bucket idle this long is forgotten (in memory, and its row in PostgreSQL's
# `rate_buckets`): by then it is full again anyway (a bucket refills within a minute), so a
# fresh one is the same.
RATE_BUCKET_IDLE: Final = 600.0
# How often a replica deletes idle `rate_buckets` rows, as part of a take, and at most how many
# each time: the table stays about as large as the clients of the last `RATE_BUCKET_IDLE`, and
# no take pays for more than one bounded sweep.
RATE_SWEEP_INTERVAL: Final = 60.0
RATE_SWEEP_BATCH: Final = 1000
# A subscriber following a generation that runs on another replica is woken by NOTIFY; without
# one (a dropped listener connection) it reads the store at least this often.
REPLICA_FOLLOW_POLL: Final = 1.0
# How long the listener thread waits for a notification before looking whether to stop.
REPLICA_LISTEN_WAIT: Final = 0.5
# A cancel asked on one replica for a generation another runs: how long it waits for the
# terminal event (the owner answers within a tick; a dead owner's lease runs out first).
REPLICA_CANCEL_WAIT: Final = 3 * REPLICA_LEASE

# The artifact store (`--storage-url`, `adapters.object_store`). Calls to it run at most this
# many at once, each in a worker thread (boto3 is synchronous): uploads of finished
# generations and ranged reads of videos being watched share them, so a slow bucket holds
# threads, never the event loop.
ARTIFACT_STORE_THREADS: Final = 8
# Files at least this big are uploaded in parts of this size (S3 multipart: the object appears
# only when the last part is in and CompleteMultipartUpload succeeds, so never half-written;
# 8 MiB is S3's default and well over its 5 MiB minimum part).
UPLOAD_PART_BYTES: Final = 8 * 1024 * 1024
# A ranged read from the store is passed on in pieces of this size (the route's chunk size).
STORE_READ_BYTES: Final = 512 * 1024
# Connecting to the store and waiting for its answer: past these a call fails (503, or the
# generation's upload error) instead of holding a worker thread for ever.
ARTIFACT_STORE_CONNECT_TIMEOUT: Final = 5.0
ARTIFACT_STORE_READ_TIMEOUT: Final = 30.0
# How long a presigned URL (`--storage-presign`) stays valid: long enough to watch a long
# video from start to end with seeks (each seek is a new request with the same URL).
PRESIGN_SECONDS: Final = 3600
# The `Retry-After` of a 503 when the store failed a read: a bucket's blips pass in seconds.
ARTIFACT_STORE_RETRY_AFTER: Final = 5
