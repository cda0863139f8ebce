"""The m31r command lines the release DAG submits, built from the DAG run's params, without Airflow.

Every value is checked before anything is submitted, so a mistyped version or a missing path fails
the task at once (not retried) instead of after a Spark application has started.
"""

from __future__ import annotations

import re
from typing import Any, List, Mapping

COMMANDS = ("freeze", "bench", "export")
RELEASE_TYPES = ("A", "B", "C", "D")

# The form io.m31r.release.version.Semver accepts: MAJOR.MINOR.PATCH[-PRERELEASE], no +build.
_IDENTIFIER = r"(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
_VERSION = re.compile(
    r"(?:0|[1-9]\d{0,8})\.(?:0|[1-9]\d{0,8})\.(?:0|[1-9]\d{0,8})"
    rf"(?:-{_IDENTIFIER}(?:\.{_IDENTIFIER})*)?"
)


class BadParams(ValueError):
    """A DAG run param that can never work; the message names the param."""


def _required(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadParams(f"param {name}: required, a non-empty string")
    return value.strip()


def _optional(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadParams(f"param {name}: must be a string")
    return value.strip()


def _extra(params: Mapping[str, Any], name: str) -> List[str]:
    value = params.get(name)
    if value is None:
        return []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise BadParams(f"param {name}: must be a list of strings")
    return list(value)


def version(params: Mapping[str, Any]) -> str:
    """The release version, checked."""
    text = _required(params, "version")
    if not _VERSION.fullmatch(text):
        raise BadParams(
            f"param version: '{text}' is not MAJOR.MINOR.PATCH[-PRERELEASE] (no leading zeros, no +build)"
        )
    return text


def release_type(params: Mapping[str, Any]) -> str:
    """The release type, checked: A (model), B (tooling), C (patch), D (experimental)."""
    text = _required(params, "release_type")
    if text not in RELEASE_TYPES:
        raise BadParams(f"param release_type: '{text}' is not one of {', '.join(RELEASE_TYPES)}")
    return text


def _option(args: List[str], flag: str, value: str) -> None:
    if value:
        args.extend([flag, value])


def arguments(command: str, params: Mapping[str, Any]) -> List[str]:
    """The application arguments of ``m31r-release.jar`` for one stage of the release."""
    if command not in COMMANDS:
        raise BadParams(f"command {command!r}: expected one of {', '.join(COMMANDS)}")
    config = _required(params, "config")
    if command == "freeze":
        args = ["freeze", "--config", config,
                "--dataset", _required(params, "dataset"),
                "--out", _required(params, "manifest")]
        _option(args, "--include", _optional(params, "include"))
        _option(args, "--sha256sum", _optional(params, "sha256sum"))
        return args + _extra(params, "freeze_extra_args")
    if command == "bench":
        args = ["bench", "--config", config,
                "--suite", _required(params, "suite"),
                "--model", _required(params, "model"),
                "--out", _required(params, "bench_out")]
        _option(args, "--baseline", _optional(params, "baseline"))
        return args + _extra(params, "bench_extra_args")
    return ["export", "--config", config,
            "--version", version(params),
            "--type", release_type(params)]
