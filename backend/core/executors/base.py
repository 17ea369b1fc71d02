"""What the routes need from an executor, whichever one runs the jobs."""

from typing import Protocol


class Executor(Protocol):
    """Runs queued full-execution jobs; the job rows stay the source of truth."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def stop_claiming(self) -> None:
        """Take no new job from now on; called when a stop signal arrives."""

    def job_queued(self, job_id: str) -> None:
        """Called once the row of a new queued job has committed."""

    def cancel_requested(self, job_id: str) -> None:
        """Called once a cancellation of a running job has committed."""
