# Test stand-in for Spark's bin/load-spark-env.sh: conf dir, optional spark-env.sh, Scala version.
if [ -z "${SPARK_ENV_LOADED:-}" ]; then
  export SPARK_ENV_LOADED=1
  export SPARK_CONF_DIR="${SPARK_CONF_DIR:-${SPARK_HOME}/conf}"
  if [ -f "${SPARK_CONF_DIR}/spark-env.sh" ]; then
    set -a
    . "${SPARK_CONF_DIR}/spark-env.sh"
    set +a
  fi
fi
# The launcher cannot detect the Scala version without a Spark build tree; the jars are 2.13.
export SPARK_SCALA_VERSION=2.13
