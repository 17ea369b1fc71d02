"""The embedded executor: a dispatcher in the API process, one worker process a job.

The dispatcher claims queued rows up to ``max_concurrent_jobs`` and runs each in
its own child process (forkserver, with the pandas stack preloaded), so pandas
work never blocks the event loop and a child that crashes or is killed only
ends its own attempt. The child never touches the database: it streams its
progress over a pipe and the dispatcher writes heartbeats, progress and the
final state. A new job wakes the dispatcher at once; a slow poll picks up rows
queued by other processes and runs the reaper.
"""

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from core.database.engine import get_session_factory
from core.errors import AppError
from core.feature_engineering import jobs
from core.feature_engineering.execution import (
    Directive,
    JobSpec,
    Outcome,
    execute,
    temporary_path,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

PROGRESS_WRITE_SECONDS = 0.5
HEARTBEAT_SECONDS = 2.0
STOP_GRACE_SECONDS = 15.0
REAP_EVERY_SECONDS = 5.0
SHUTDOWN_REASON = "The server shut down during the run"


class PipeReporter:
    """The child's side of the pipe: sends progress, reads what to do next."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._directive = Directive.CONTINUE

    def progress(self, processed_rows: int, output_rows: int, reason: str) -> Directive:
        self._conn.send(("progress", processed_rows, output_rows, reason))
        while self._conn.poll():
            self._directive = Directive(self._conn.recv())
        return self._directive


def child_main(spec: JobSpec, conn: Connection) -> None:
    """Entry point of a worker process."""
    # A stop signal sent to the whole process group is the dispatcher's to act
    # on: it interrupts the run at a chunk boundary, and kills it if it must.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        outcome = execute(spec, PipeReporter(conn))
    except AppError as error:  # a step the data could not satisfy
        conn.send(("error", error.code, error.detail))
    except Exception as error:  # reported to the parent, which fails the job
        conn.send(("error", "pipeline_error", f"{type(error).__name__}: {error}"))
    else:
        conn.send(("outcome", outcome))
    finally:
        conn.close()


def _idle() -> None:
    """A child that does nothing: starting it starts the fork server."""


def describe_exit(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        name = signal.Signals(number).name if number in signal.valid_signals() else "?"
        text = f"The worker process was killed by signal {number} ({name})"
        if number == signal.SIGKILL:
            text += "; the dataset may not fit in memory"
        return text
    return f"The worker process exited unexpectedly with code {exitcode}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class RunningJob:
    claimed: jobs.ClaimedJob
    spec: JobSpec
    process: BaseProcess
    conn: Connection
    messages: asyncio.Queue[tuple[Any, ...]] = field(default_factory=asyncio.Queue)
    started: float = field(default_factory=time.monotonic)
    # Set when the dispatcher itself ends the child, so its death is not
    # mistaken for a crash.
    stopped_because: str | None = None

    def kill(self, reason: str) -> None:
        self.stopped_because = reason
        self.process.kill()

    def send(self, directive: Directive) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.conn.send(directive.value)


class LocalExecutor:
    name = "local"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._host = socket.gethostname()
        self.worker_id = f"local:{self._host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["core.executors.forkserver_preload"])
        self._wake = asyncio.Event()
        self._stopping = False
        self._running: dict[str, RunningJob] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._dispatcher: asyncio.Task[None] | None = None
        self._last_reap = 0.0

    # Lifecycle of the executor itself.

    async def start(self) -> None:
        await self._requeue_orphans()
        # The fork server imports pandas once; start it now, in the background,
        # so the first job does not pay for it and start-up does not wait.
        self._track(asyncio.create_task(asyncio.to_thread(self._warm_up)))
        self._dispatcher = asyncio.create_task(self._dispatch_loop())
        logger.info("local executor started", extra={"worker_id": self.worker_id})

    async def stop(self) -> None:
        """Take no more jobs; requeue the running ones at their next chunk boundary."""
        self._stopping = True
        self._wake.set()
        # Let a launch in progress finish, so every claimed job has a supervisor.
        if self._dispatcher is not None:
            try:
                await asyncio.wait_for(self._dispatcher, STOP_GRACE_SECONDS)
            except TimeoutError:
                logger.warning("dispatcher did not stop in time")

        for running in self._running.values():
            running.send(Directive.INTERRUPT)
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=STOP_GRACE_SECONDS)
        for running in list(self._running.values()):
            running.kill(SHUTDOWN_REASON)
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=5)
        logger.info("local executor stopped", extra={"worker_id": self.worker_id})

    def _warm_up(self) -> None:
        try:
            process = self._context.Process(target=_idle)
            process.start()
            process.join()
        except (OSError, RuntimeError):
            # The first job will try again, and fail its attempt with the reason.
            logger.exception("fork server did not start")

    def stop_claiming(self) -> None:
        """Claim no new job from now on; safe to call from a signal handler."""
        self._stopping = True

    def job_queued(self, job_id: str) -> None:
        self._wake.set()

    def worker_pids(self) -> dict[str, int | None]:
        """The process id running each of this executor's jobs."""
        return {job_id: job.process.pid for job_id, job in self._running.items()}

    def cancel_requested(self, job_id: str) -> None:
        running = self._running.get(job_id)
        if running is not None:
            running.send(Directive.CANCEL)

    # Database access: one short unit of work per change.

    async def _db(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        async with get_session_factory()() as session:
            result = await work(session)
            await session.commit()
            return result

    async def _requeue_orphans(self) -> None:
        """Jobs left running by a local worker process of this host that is gone."""
        prefix = f"local:{self._host}:"
        owners = await self._db(jobs.running_worker_ids)
        for job_id, worker_id in owners.items():
            if not worker_id or not worker_id.startswith(prefix):
                continue
            pid = int(worker_id.split(":")[2])
            if pid != os.getpid() and _pid_alive(pid):
                continue
            await self._release_orphan(job_id, worker_id)

    async def _release_orphan(self, job_id: str, worker_id: str) -> None:
        async def release(session: AsyncSession) -> object:
            return await jobs.release(
                session,
                job_id,
                worker_id,
                reason="The server running it stopped",
                max_attempts=self._settings.job_max_attempts,
            )

        await self._db(release)

    # Dispatching.

    async def _dispatch_loop(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self._maybe_reap()
                await self._fill_slots()
            except Exception:
                logger.exception("dispatcher iteration failed")
                await asyncio.sleep(1)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._wake.wait(), self._settings.dispatcher_poll_seconds
                )

    async def _maybe_reap(self) -> None:
        if time.monotonic() - self._last_reap < REAP_EVERY_SECONDS:
            return
        self._last_reap = time.monotonic()
        await self._db(
            lambda session: jobs.reap_stale(
                session,
                self._settings.job_heartbeat_timeout_seconds,
                self._settings.job_max_attempts,
            )
        )

    def _dataset_path(self, storage_path: str) -> str:
        return str((self._settings.data_dir / storage_path).resolve())

    async def _fill_slots(self) -> None:
        while (
            not self._stopping
            and len(self._running) < self._settings.max_concurrent_jobs
        ):
            claimed = await self._db(
                lambda session: jobs.claim_next(
                    session, self.worker_id, self._dataset_path
                )
            )
            if claimed is None:
                return
            await self._launch(claimed)

    async def _launch(self, claimed: jobs.ClaimedJob) -> None:
        result_path = self._settings.results_dir / f"{claimed.id}.parquet"
        spec = JobSpec(
            job_id=claimed.id,
            dataset_path=claimed.dataset_path,
            steps=claimed.steps,
            result_path=str(result_path.resolve()),
            chunk_rows=self._settings.job_chunk_rows,
        )
        parent_conn, child_conn = self._context.Pipe()
        process = self._context.Process(
            target=child_main, args=(spec, child_conn), daemon=True
        )
        try:
            await asyncio.to_thread(process.start)
        except (OSError, EOFError) as error:
            parent_conn.close()
            logger.exception(
                "worker process did not start", extra={"job_id": claimed.id}
            )
            reason = f"A worker process could not be started ({error!r})"
            await self._release(claimed.id, reason, False)
            return
        finally:
            child_conn.close()

        running = RunningJob(
            claimed=claimed, spec=spec, process=process, conn=parent_conn
        )
        self._running[claimed.id] = running
        asyncio.get_running_loop().add_reader(
            parent_conn.fileno(), self._on_readable, running
        )
        self._track(asyncio.create_task(self._supervise(running)))

    def _track(self, task: asyncio.Task[None]) -> None:
        # The event loop keeps only weak references to tasks.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_readable(self, running: RunningJob) -> None:
        try:
            while running.conn.poll():
                running.messages.put_nowait(running.conn.recv())
        except (EOFError, OSError):
            asyncio.get_running_loop().remove_reader(running.conn.fileno())
            running.messages.put_nowait(("exit",))

    # Supervising one job.

    async def _supervise(self, running: RunningJob) -> None:
        job_id = running.claimed.id
        try:
            final = await self._follow(running)
            await self._conclude(running, final)
        except Exception:
            logger.exception("supervising a job failed", extra={"job_id": job_id})
        finally:
            await self._close(running)
            self._running.pop(job_id, None)
            self._wake.set()

    async def _follow(self, running: RunningJob) -> tuple[Any, ...]:
        """Relay progress to the row until the child ends; returns its last word."""
        processed = output = 0
        reason = ""
        last_write = 0.0
        timeout = self._settings.job_timeout_seconds
        while True:
            try:
                message = await asyncio.wait_for(
                    running.messages.get(), HEARTBEAT_SECONDS
                )
            except TimeoutError:
                message = ("tick",)

            if message[0] == "progress":
                _, processed, output, reason = message
            elif message[0] != "tick":
                return message

            if time.monotonic() - running.started > timeout:
                running.kill("timeout")
                return ("timeout",)
            if time.monotonic() - last_write >= PROGRESS_WRITE_SECONDS:
                last_write = time.monotonic()
                answer = await self._heartbeat(running, processed, output, reason)
                if not answer.owned:
                    running.kill("lost")
                    return ("lost",)
                if answer.cancel_requested:
                    running.send(Directive.CANCEL)

    async def _heartbeat(
        self, running: RunningJob, processed: int, output: int, reason: str
    ) -> jobs.HeartbeatAnswer:
        previous = running.claimed.previous_reason
        if previous:
            reason = f"{reason}. {previous}" if reason else previous

        async def beat(session: AsyncSession) -> jobs.HeartbeatAnswer:
            return await jobs.heartbeat(
                session, running.claimed.id, self.worker_id, processed, output, reason
            )

        return await self._db(beat)

    async def _conclude(self, running: RunningJob, final: tuple[Any, ...]) -> None:
        job_id = running.claimed.id
        kind = final[0]
        if kind == "outcome":
            await self._conclude_outcome(job_id, final[1])
        elif kind == "error":
            await self._fail(job_id, final[1], final[2])
        elif kind == "timeout":
            limit = self._settings.job_timeout_seconds
            await self._fail(
                job_id, "job_timeout", f"The run took longer than {limit:g} s"
            )
        elif kind == "exit" and running.stopped_because == SHUTDOWN_REASON:
            await self._release(job_id, SHUTDOWN_REASON, False)
        elif kind == "exit":
            await asyncio.to_thread(running.process.join, 5)
            await self._release(job_id, describe_exit(running.process.exitcode), True)

    async def _conclude_outcome(self, job_id: str, outcome: Outcome) -> None:
        if outcome.directive is Directive.CANCEL:
            await self._db(
                lambda session: jobs.finish_cancelled(session, job_id, self.worker_id)
            )
        elif outcome.directive is Directive.INTERRUPT:
            await self._release(job_id, SHUTDOWN_REASON, False)
        else:
            result_path = Path("results") / f"{job_id}.parquet"
            columns = [column.model_dump(mode="json") for column in outcome.columns]
            await self._db(
                lambda session: jobs.finish_succeeded(
                    session,
                    job_id,
                    self.worker_id,
                    processed_rows=outcome.processed_rows,
                    output_rows=outcome.output_rows,
                    result_path=result_path.as_posix(),
                    result_columns=columns,
                )
            )

    async def _fail(self, job_id: str, code: str, message: str) -> None:
        await self._db(
            lambda session: jobs.finish_failed(
                session, job_id, self.worker_id, code=code, message=message
            )
        )

    async def _release(self, job_id: str, reason: str, counts: bool) -> None:
        max_attempts = self._settings.job_max_attempts if counts else None
        await self._db(
            lambda session: jobs.release(
                session,
                job_id,
                self.worker_id,
                reason=reason,
                max_attempts=max_attempts,
            )
        )

    async def _close(self, running: RunningJob) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(OSError, ValueError):
            loop.remove_reader(running.conn.fileno())
        running.conn.close()
        if running.process.is_alive():
            running.process.kill()
        await asyncio.to_thread(running.process.join, 5)
        # A worker that was killed had no chance to remove its partial output.
        if running.process.pid is not None:
            result = Path(running.spec.result_path)
            temporary_path(result, running.process.pid).unlink(missing_ok=True)
