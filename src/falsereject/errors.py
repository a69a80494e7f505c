"""User-facing errors: each one is a single line that names what to fix.

The CLI prints `error: <message>` and exits non-zero for any `FalseRejectError`; library users
catch the same class. Internal bugs stay ordinary exceptions with tracebacks.
"""

from __future__ import annotations


class FalseRejectError(Exception):
    """An error the user can fix: bad input, missing key, unknown name, unreachable server."""


class MissingExtraError(FalseRejectError):
    """An optional dependency is not installed; the message names the pip command."""

    def __init__(self, module: str, extra: str, *, pip: str | None = None) -> None:
        command = pip or f'pip install "falsereject[{extra}]"'
        super().__init__(f"{module} is not installed; run: {command}")
        self.module = module
        self.extra = extra


class InputError(FalseRejectError):
    """Bad input data: the message names the file and, where known, the line."""

    def __init__(self, message: str, *, path: object = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line


def require(module: str, extra: str, *, pip: str | None = None):
    """Import an optional module or raise `MissingExtraError` naming the pip command."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if exc.name and module.split(".")[0] != exc.name.split(".")[0]:
            raise  # the module exists but one of its own imports is broken: show that
        raise MissingExtraError(module, extra, pip=pip) from None
