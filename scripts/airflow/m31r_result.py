"""result.json of one release run: what downstream tasks and DAGs read, without Airflow.

Stages report ``{"exit_code": N}`` (N may be None when the failure carried no code); a stage with
no report did not run or was killed before it could report. The first stage, in release order,
that did not end with 0 explains the outcome.
"""

from __future__ import annotations

import json
import os
import posixpath
import tempfile
from typing import Any, Dict, Mapping, Optional

from m31r_commands import COMMANDS
from m31r_exit_codes import describe

RELEASED = "released"
FAILED = "failed"

# What ``m31r export`` prints when a retry finds its version published with identical inputs: it
# completed what the earlier attempt left undone and exited 0.
ALREADY_RELEASED = "already released, identical"


def is_already_released_line(line: str) -> bool:
    """True for the export's stdout line that starts with ``already released, identical``."""
    return line is not None and line.strip().startswith(ALREADY_RELEASED)


def release_path(release_root: str, version: str) -> str:
    """Where export puts the release: ``<release_root>/<version>``."""
    if not release_root or not release_root.strip():
        raise ValueError("release_root: required")
    return posixpath.join(release_root.rstrip("/"), version)


def release_result(version: str, release_root: str, reports: Mapping[str, Optional[Mapping[str, Any]]]) -> Dict[str, Any]:
    """The result record; ``reports`` maps each stage name to its report or None."""
    unknown = set(reports) - set(COMMANDS)
    if unknown:
        raise ValueError(f"reports: unknown stages {sorted(unknown)}")
    stages: Dict[str, Optional[int]] = {}
    failed_stage = None
    failed_code: Optional[int] = None
    failed_reason = ""
    for stage in COMMANDS:
        report = reports.get(stage)
        code = None if report is None else report.get("exit_code")
        if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
            raise ValueError(f"reports[{stage}].exit_code: {code!r} is not an integer")
        stages[stage] = code
        if failed_stage is None and code != 0:
            failed_stage = stage
            failed_code = code
            failed_reason = describe(code) if report is not None else "did not run or was killed before reporting"
    path = release_path(release_root, version)
    result: Dict[str, Any] = {"version": version, "stages": stages}
    if failed_stage is None:
        export = reports.get("export") or {}
        already = export.get("already_released", False)
        if not isinstance(already, bool):
            raise ValueError(f"reports[export].already_released: {already!r} is not a boolean")
        # A retry that found the release published by an earlier attempt is a success, and says so.
        result.update(status=RELEASED, exit_code=0, release_path=path, failed_stage=None,
                      reason=ALREADY_RELEASED if already else "ok")
    else:
        # No release exists at the path after a failure (export writes it last), so none is named.
        result.update(status=FAILED, exit_code=failed_code, release_path=None,
                      failed_stage=failed_stage, reason=failed_reason)
    return result


def result_bytes(result: Mapping[str, Any]) -> bytes:
    """Deterministic bytes: sorted keys, two-space indent, final newline."""
    return (json.dumps(result, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_result(path: str, result: Mapping[str, Any]) -> None:
    """Writes ``path`` whole or not at all: a reader never sees half a file."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".result-", suffix=".json", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(result_bytes(result))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
