"""The m31r exit-code contract (docs/exit-codes.md) as a scheduler needs it, without Airflow.

Airflow's SparkSubmitHook reports a failed spark-submit only as an exception message. This module
reads the exit code back out of that message and decides whether a retry can help: only exit 1
(internal or infrastructure failure) and failures with no exit code at all are worth retrying;
2 to 5 fail the same way every time.

Message shapes of the apache-airflow-providers-apache-spark hook (2.x and later providers):

* ``Cannot execute: <masked command>. Error code is: 3.`` (newer providers append the tail of the
  spark-submit log after it);
* Kubernetes: ``Cannot execute: <cmd>. Error code is: 0. Kubernetes spark exit code is: 3``, where
  the second code is the driver pod's, read from the submission log, and may be ``None``;
* standalone cluster mode with driver tracking: ``ERROR : Driver driver-... badly exited with
  status FAILED``, and ``No driver id is known: ...``: no exit code.

A negative code is a signal that killed spark-submit (-9: SIGKILL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

OK = 0
INFRASTRUCTURE = 1

MEANINGS = {
    0: "ok",
    1: "internal or infrastructure failure",
    2: "usage, configuration or bad input",
    3: "release blocked by a gate",
    4: "integrity failure",
    5: "conflict",
}

# Codes that a retry cannot change.
FINAL_CODES = frozenset({2, 3, 4, 5})

_SUBMIT_CODE = re.compile(r"\bError code is: (-?\d+)")
_KUBERNETES_CODE = re.compile(r"\bKubernetes spark exit code is: (None|-?\d+)")


def parse_exit_code(message: str) -> Optional[int]:
    """The failed run's exit code in a SparkSubmitHook error message, or None when it has none.

    Never returns 0: a message that carries only 0 (spark-submit succeeded but the Kubernetes
    driver's code is unknown) says nothing about why the task failed.
    """
    if message is None:
        return None
    submit = _SUBMIT_CODE.search(message)
    if submit is None:
        return None
    code = int(submit.group(1))
    kubernetes = _KUBERNETES_CODE.search(message, submit.end())
    if kubernetes is not None and kubernetes.group(1) != "None":
        # The driver pod's own code is the m31r exit code; spark-submit's is only the launcher's.
        driver = int(kubernetes.group(1))
        if driver != 0:
            return driver
    return code if code != 0 else None


def is_retryable(code: Optional[int]) -> bool:
    """True unless the code is one that fails the same way on every attempt."""
    return code not in FINAL_CODES


def describe(code: Optional[int]) -> str:
    """One line for logs and result.json."""
    if code is None:
        return "no exit code reported (spark-submit, cluster or scheduler failure)"
    if code < 0:
        return f"spark-submit killed by signal {-code}"
    meaning = MEANINGS.get(code)
    if meaning is None:
        return f"exit {code} (not an m31r exit code: treated as an infrastructure failure)"
    return f"exit {code} ({meaning})"


@dataclass(frozen=True)
class Decision:
    """What to do with one failed attempt."""

    exit_code: Optional[int]
    retry: bool
    reason: str


def decide(message: str) -> Decision:
    """The retry decision for a failure reported as ``message``."""
    code = parse_exit_code(message)
    return Decision(exit_code=code, retry=is_retryable(code), reason=describe(code))
