"""Airflow 2.x DAG: one M31R release, as separate spark-submit tasks freeze -> bench -> export,
then a task that writes result.json for downstream tasks and DAGs.

Needs apache-airflow-providers-apache-spark (SparkSubmitOperator) and a Spark connection
(``spark_m31r`` by default: master and deploy mode). Put this file, m31r_exit_codes.py,
m31r_commands.py and m31r_result.py together in the DAGs folder (Airflow puts that folder on
sys.path). Retries: only exit 1 and failures without an exit code are retried; exits 2-5 fail the
task at once (AirflowFailException). The exit code only survives spark-submit in client deploy
mode (YARN, standalone) or Kubernetes cluster mode; see docs/operations.md.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.exceptions import AirflowFailException
from airflow.models.param import Param
from airflow.operators.python import PythonOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.utils.trigger_rule import TriggerRule

import m31r_commands
from m31r_exit_codes import decide
from m31r_result import RELEASED, is_already_released_line, release_result, write_result

MAIN_CLASS = "io.m31r.release.cli.M31rCli"
JAR = os.environ.get("M31R_RELEASE_JAR", "/opt/m31r/m31r-release.jar")
CONF_DIR = os.environ.get("M31R_CONF_DIR", "/opt/m31r/conf")
# libtorch for CPU executors (docs/model-runtime.md); GPU clusters use an installed CUDA libtorch.
LIBTORCH_JAR = os.environ.get("M31R_LIBTORCH_JAR", "/opt/m31r/pytorch-native-cpu-2.7.1-linux-x86_64.jar")
SPARK_CONN_ID = os.environ.get("M31R_SPARK_CONN_ID", "spark_m31r")

EXIT_XCOM_KEY = "m31r_exit"


class M31rSubmitOperator(SparkSubmitOperator):
    """spark-submit of one m31r command; Airflow retries it only when a retry can help.

    The command line is built from the run's params when the task runs, checked first (a bad
    param fails at once, before Spark starts). Every attempt records its exit code in XCom under
    ``m31r_exit`` for the result task.
    """

    def __init__(self, *, m31r_command: str, **kwargs):
        super().__init__(**kwargs)
        self.m31r_command = m31r_command

    def _get_hook(self):
        # Watches spark-submit's output for export's "already released, identical" line (a retry
        # that completed an earlier attempt's release) while the provider's hook logs it as usual.
        hook = super()._get_hook()
        process = hook._process_spark_submit_log
        hook.m31r_already_released = False

        def watch(itr):
            def tee():
                for line in itr:
                    if is_already_released_line(line):
                        hook.m31r_already_released = True
                    yield line
            return process(tee())

        hook._process_spark_submit_log = watch
        return hook

    def execute(self, context):
        ti = context["ti"]
        try:
            self._application_args = m31r_commands.arguments(self.m31r_command, context["params"])
        except m31r_commands.BadParams as bad:
            ti.xcom_push(key=EXIT_XCOM_KEY, value={"exit_code": 2})
            raise AirflowFailException(f"m31r {self.m31r_command}: {bad}") from bad
        try:
            super().execute(context)
        except Exception as failure:
            decision = decide(str(failure))
            ti.xcom_push(key=EXIT_XCOM_KEY, value={"exit_code": decision.exit_code})
            if not decision.retry:
                raise AirflowFailException(
                    f"m31r {self.m31r_command}: {decision.reason}; not retried (docs/exit-codes.md)"
                ) from failure
            raise
        already = bool(getattr(self._hook, "m31r_already_released", False))
        ti.xcom_push(key=EXIT_XCOM_KEY, value={"exit_code": 0, "already_released": already})


def _write_result(params, ti, **_):
    reports = {
        stage: ti.xcom_pull(task_ids=stage, key=EXIT_XCOM_KEY)
        for stage in m31r_commands.COMMANDS
    }
    version = m31r_commands.version(params)
    result = release_result(version, params["release_root"], reports)
    write_result(os.path.join(params["result_dir"], version, "result.json"), result)
    ti.xcom_push(key="result", value=result)
    if result["status"] != RELEASED:
        # The run must end failed even though this last task ran: result.json is written first.
        raise AirflowFailException(
            f"release {version} not made: {result['failed_stage']}: {result['reason']}"
        )
    return result


def _spark_conf() -> dict:
    return {
        "spark.executor.extraJavaOptions": "-Dai.djl.offline=true",
        "spark.driver.extraJavaOptions": "-Dai.djl.offline=true",
    }


with DAG(
    dag_id="m31r_release",
    description="Freeze, benchmark and export one M31R release (m31r-release.jar on Spark)",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 3,
        "retry_delay": timedelta(minutes=2),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=30),
    },
    params={
        "version": Param("1.0.0", type="string", description="MAJOR.MINOR.PATCH[-PRERELEASE]"),
        "release_type": Param("A", type="string", enum=list(m31r_commands.RELEASE_TYPES)),
        "config": Param(f"{CONF_DIR}/release.yaml", type="string",
                        description="release.yaml as the driver sees it: this path in client mode, "
                                    "'release.yaml' (shipped with --files) in cluster mode"),
        "dataset": Param("hdfs:///datasets/rust", type="string"),
        "include": Param("", type="string", description="optional --include glob for freeze"),
        "manifest": Param("hdfs:///releases/manifests/rust.json", type="string"),
        "sha256sum": Param("", type="string", description="optional --sha256sum listing for freeze"),
        "suite": Param("/mnt/m31r/benchmarks/suite", type="string"),
        "model": Param("/mnt/m31r/models/candidate", type="string"),
        "bench_out": Param("/mnt/m31r/bench-out", type="string"),
        "baseline": Param("", type="string", description="previous release's report.json, optional"),
        "freeze_extra_args": Param([], type="array"),
        "bench_extra_args": Param([], type="array", description='e.g. ["--samples", "10"]'),
        "release_root": Param("hdfs:///releases/release", type="string",
                              description="the release root export writes <version>/ under"),
        "result_dir": Param("/mnt/m31r/results", type="string",
                            description="result.json goes to <result_dir>/<version>/result.json"),
    },
    tags=["m31r", "release"],
) as dag:
    stages = [
        M31rSubmitOperator(
            task_id=command,
            m31r_command=command,
            conn_id=SPARK_CONN_ID,
            application=JAR,
            java_class=MAIN_CLASS,
            name=f"m31r-{command}-{{{{ params.version }}}}",
            files=f"{CONF_DIR}/release.yaml",
            # bench generates with the model; export loads it for its smoke test.
            jars=LIBTORCH_JAR if command in ("bench", "export") else None,
            conf=_spark_conf(),
        )
        for command in m31r_commands.COMMANDS
    ]
    result = PythonOperator(
        task_id="result",
        python_callable=_write_result,
        trigger_rule=TriggerRule.ALL_DONE,
        retries=0,
    )
    stages[0] >> stages[1] >> stages[2] >> result
