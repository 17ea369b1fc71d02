"""Imported once by the local executor's fork server, never by the API process.

The fork server outlives nothing: it exits when the API process closes its end
of their pipe. A stop signal sent to the whole process group must not kill it
first, or the jobs of a shutting-down server could not be interrupted cleanly;
so it ignores SIGTERM and SIGINT, and so do the workers it forks. Importing the
worker's modules here means each fork starts with pandas already loaded.
"""

import signal

signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)

import core.executors.local  # noqa: E402, F401
