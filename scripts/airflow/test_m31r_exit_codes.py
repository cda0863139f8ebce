"""Unit tests of the scheduler-side exit-code policy, the command lines and result.json."""

from __future__ import annotations

import json
import os
import tempfile
import unittest

import m31r_commands
from m31r_commands import BadParams, arguments
from m31r_exit_codes import FINAL_CODES, decide, describe, is_retryable, parse_exit_code
from m31r_result import (ALREADY_RELEASED, FAILED, RELEASED, is_already_released_line, release_result, result_bytes,
                         write_result)

CMD = "spark-submit --master yarn --name m31r-export --class io.m31r.release.cli.M31rCli m31r-release.jar export --config release.yaml --version 1.2.0 --type A"


class ParseExitCodeTest(unittest.TestCase):
    def test_plain_submit_failure_of_each_code(self):
        for code in range(1, 6):
            self.assertEqual(code, parse_exit_code(f"Cannot execute: {CMD}. Error code is: {code}."))

    def test_log_tail_after_the_code_is_ignored(self):
        message = (f"Cannot execute: {CMD}. Error code is: 4.\n"
                   "Last lines of spark-submit output:\n"
                   "m31r: shard a/0.bin changed while hashed\n"
                   "Exit code: 1")
        self.assertEqual(4, parse_exit_code(message))

    def test_kubernetes_driver_code_wins_over_the_launchers(self):
        self.assertEqual(3, parse_exit_code(f"Cannot execute: {CMD}. Error code is: 0. Kubernetes spark exit code is: 3"))
        self.assertEqual(5, parse_exit_code(f"Cannot execute: {CMD}. Error code is: 1. Kubernetes spark exit code is: 5"))

    def test_kubernetes_without_a_driver_code_falls_back_to_spark_submits(self):
        self.assertEqual(1, parse_exit_code(f"Cannot execute: {CMD}. Error code is: 1. Kubernetes spark exit code is: None"))
        self.assertIsNone(parse_exit_code(f"Cannot execute: {CMD}. Error code is: 0. Kubernetes spark exit code is: None"))
        self.assertIsNone(parse_exit_code(f"Cannot execute: {CMD}. Error code is: 0. Kubernetes spark exit code is: 0"))

    def test_signals_are_negative(self):
        self.assertEqual(-9, parse_exit_code(f"Cannot execute: {CMD}. Error code is: -9."))

    def test_messages_without_a_code(self):
        for message in (
            "ERROR : Driver driver-20260101000000-0001 badly exited with status FAILED",
            "No driver id is known: something went wrong when executing the spark submit command",
            "YARN application application_1_0001 ended with state: FAILED, final status: FAILED",
            "",
            None,
        ):
            self.assertIsNone(parse_exit_code(message), message)


class DecisionTest(unittest.TestCase):
    def test_only_codes_two_to_five_are_final(self):
        self.assertEqual(frozenset({2, 3, 4, 5}), FINAL_CODES)
        for code in (2, 3, 4, 5):
            self.assertFalse(is_retryable(code))
        for code in (None, 1, -9, 137, 143, 6):
            self.assertTrue(is_retryable(code), code)

    def test_decide_a_gate_failure(self):
        d = decide(f"Cannot execute: {CMD}. Error code is: 3.")
        self.assertEqual((3, False, "exit 3 (release blocked by a gate)"), (d.exit_code, d.retry, d.reason))

    def test_decide_an_infrastructure_failure(self):
        d = decide(f"Cannot execute: {CMD}. Error code is: 1.")
        self.assertEqual((1, True), (d.exit_code, d.retry))
        self.assertIn("infrastructure", d.reason)

    def test_descriptions(self):
        self.assertIn("no exit code", describe(None))
        self.assertEqual("spark-submit killed by signal 9", describe(-9))
        self.assertIn("not an m31r exit code", describe(137))
        self.assertEqual("exit 5 (conflict)", describe(5))


PARAMS = {
    "version": "1.2.0",
    "release_type": "A",
    "config": "/opt/m31r/conf/release.yaml",
    "dataset": "hdfs:///datasets/rust",
    "include": "",
    "manifest": "hdfs:///releases/manifests/rust.json",
    "sha256sum": "",
    "suite": "/mnt/suite",
    "model": "/mnt/model",
    "bench_out": "/mnt/bench-out",
    "baseline": "",
    "freeze_extra_args": [],
    "bench_extra_args": [],
}


class CommandsTest(unittest.TestCase):
    def test_export_is_exactly_config_version_type(self):
        self.assertEqual(
            ["export", "--config", "/opt/m31r/conf/release.yaml", "--version", "1.2.0", "--type", "A"],
            arguments("export", PARAMS))

    def test_freeze_and_its_optional_flags(self):
        self.assertEqual(
            ["freeze", "--config", "/opt/m31r/conf/release.yaml", "--dataset", "hdfs:///datasets/rust",
             "--out", "hdfs:///releases/manifests/rust.json"],
            arguments("freeze", PARAMS))
        p = dict(PARAMS, include="**/*.bin", sha256sum="/mnt/SHA256SUMS", freeze_extra_args=["--quiet"])
        self.assertEqual(
            ["freeze", "--config", "/opt/m31r/conf/release.yaml", "--dataset", "hdfs:///datasets/rust",
             "--out", "hdfs:///releases/manifests/rust.json", "--include", "**/*.bin",
             "--sha256sum", "/mnt/SHA256SUMS", "--quiet"],
            arguments("freeze", p))

    def test_bench_with_a_baseline_and_extra_args(self):
        p = dict(PARAMS, baseline="/mnt/1.1.0/report.json", bench_extra_args=["--samples", "10"])
        self.assertEqual(
            ["bench", "--config", "/opt/m31r/conf/release.yaml", "--suite", "/mnt/suite", "--model", "/mnt/model",
             "--out", "/mnt/bench-out", "--baseline", "/mnt/1.1.0/report.json", "--samples", "10"],
            arguments("bench", p))

    def test_versions_follow_the_jars_semver_rule(self):
        for good in ("0.0.1", "1.2.0", "10.20.30", "1.0.0-rc.1", "1.0.0-alpha-2"):
            self.assertEqual(good, m31r_commands.version({"version": good}))
        for bad in ("1.2", "01.2.0", "1.2.0+build.5", "v1.2.0", "1.2.0-", "1.2.0-01", ""):
            with self.assertRaises(BadParams, msg=bad) as caught:
                m31r_commands.version({"version": bad})
            self.assertIn("param version", str(caught.exception))

    def test_bad_params_are_named(self):
        with self.assertRaisesRegex(BadParams, "param release_type: 'E'"):
            arguments("export", dict(PARAMS, release_type="E"))
        with self.assertRaisesRegex(BadParams, "param dataset: required"):
            arguments("freeze", dict(PARAMS, dataset="  "))
        with self.assertRaisesRegex(BadParams, "param bench_extra_args"):
            arguments("bench", dict(PARAMS, bench_extra_args="--samples 10"))
        with self.assertRaisesRegex(BadParams, "command 'tag'"):
            arguments("tag", PARAMS)


class ResultTest(unittest.TestCase):
    def test_released(self):
        r = release_result("1.2.0", "hdfs:///releases/release/", {s: {"exit_code": 0} for s in ("freeze", "bench", "export")})
        self.assertEqual({
            "version": "1.2.0",
            "status": RELEASED,
            "exit_code": 0,
            "release_path": "hdfs:///releases/release/1.2.0",
            "failed_stage": None,
            "reason": "ok",
            "stages": {"freeze": 0, "bench": 0, "export": 0},
        }, r)

    def test_the_first_failed_stage_explains_the_outcome(self):
        r = release_result("1.2.0", "/r", {"freeze": {"exit_code": 0}, "bench": {"exit_code": 3}, "export": None})
        self.assertEqual((FAILED, 3, "bench", None), (r["status"], r["exit_code"], r["failed_stage"], r["release_path"]))
        self.assertEqual("exit 3 (release blocked by a gate)", r["reason"])
        self.assertEqual({"freeze": 0, "bench": 3, "export": None}, r["stages"])

    def test_a_stage_without_a_report_or_code(self):
        killed = release_result("1.2.0", "/r", {"freeze": {"exit_code": 0}})
        self.assertEqual(("bench", None), (killed["failed_stage"], killed["exit_code"]))
        self.assertIn("did not run", killed["reason"])
        unknown = release_result("1.2.0", "/r", {"freeze": {"exit_code": None}})
        self.assertEqual(("freeze", None), (unknown["failed_stage"], unknown["exit_code"]))
        self.assertIn("no exit code", unknown["reason"])

    def test_bad_reports_are_refused(self):
        with self.assertRaises(ValueError):
            release_result("1.2.0", "/r", {"tag": {"exit_code": 0}})
        with self.assertRaises(ValueError):
            release_result("1.2.0", "/r", {"freeze": {"exit_code": "0"}})
        with self.assertRaises(ValueError):
            release_result("1.2.0", "/r", {"freeze": {"exit_code": True}})
        with self.assertRaises(ValueError):
            release_result("1.2.0", " ", {})

    def test_written_bytes_are_deterministic_and_replace_the_file_whole(self):
        r = release_result("1.2.0", "/r", {s: {"exit_code": 0} for s in ("freeze", "bench", "export")})
        self.assertEqual(result_bytes(r), result_bytes(dict(reversed(list(r.items())))))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "1.2.0", "result.json")
            write_result(path, {"old": True})
            write_result(path, r)
            with open(path, "rb") as f:
                data = f.read()
            self.assertEqual(result_bytes(r), data)
            self.assertTrue(data.endswith(b"}\n"))
            self.assertEqual(r, json.loads(data))
            self.assertEqual(["result.json"], os.listdir(os.path.dirname(path)))


class RetryAfterPublishTest(unittest.TestCase):
    """Issue 10 item 6: the scheduler's view of retry-safe exports."""

    def test_a_retry_after_the_killed_after_publish_run_succeeds_and_says_so(self):
        # Attempt 1: export killed after publish, before the index (SIGKILL: no code, or -9).
        for message in ("Cannot execute: spark-submit ... Error code is: -9.",
                        "ERROR : Driver driver-20260101-0001 badly exited with status FAILED"):
            self.assertTrue(decide(message).retry, message)
        # Attempt 2: the same export completes what was missing and exits 0 with this line.
        stdout = ["already released, identical: 1.2.0 at hdfs:///r/1.2.0 (completed what was missing: ...)",
                  "released: 1.2.0 (type A, model release) at hdfs:///r/1.2.0"]
        already = any(is_already_released_line(line) for line in stdout)
        self.assertTrue(already)
        r = release_result("1.2.0", "hdfs:///r", {"freeze": {"exit_code": 0}, "bench": {"exit_code": 0},
                                                  "export": {"exit_code": 0, "already_released": already}})
        self.assertEqual((RELEASED, 0, ALREADY_RELEASED, "hdfs:///r/1.2.0"),
                         (r["status"], r["exit_code"], r["reason"], r["release_path"]))
        self.assertIn(b'"reason": "already released, identical"', result_bytes(r))
        fresh = release_result("1.2.0", "/r", {s: {"exit_code": 0, "already_released": False} for s in ("freeze", "bench", "export")})
        self.assertEqual("ok", fresh["reason"])
        self.assertFalse(is_already_released_line("released: 1.2.0 (type A, model release)"))
        with self.assertRaises(ValueError):
            release_result("1.2.0", "/r", {s: {"exit_code": 0} for s in ("freeze", "bench")} | {"export": {"exit_code": 0, "already_released": "yes"}})

    def test_a_conflict_and_a_gate_block_are_never_retried(self):
        for code in (5, 3):
            for message in (f"Cannot execute: spark-submit ... Error code is: {code}.",
                            f"Cannot execute: x. Error code is: 0. Kubernetes spark exit code is: {code}"):
                d = decide(message)
                self.assertEqual(code, d.exit_code, message)
                self.assertFalse(d.retry, message)

    def test_another_run_holding_the_version_is_retried(self):
        # Exit 1: the lease of a live export of the same version; the retry ends in 0 or 5.
        self.assertTrue(decide("Cannot execute: spark-submit ... Error code is: 1.").retry)


if __name__ == "__main__":
    unittest.main()
