#!/bin/sh
# Starts ULM in the CUDA image the way the JVM image's run-java.sh does for the settings ULM uses:
# JAVA_OPTS, then JAVA_OPTS_APPEND (the chart's -XX:MaxRAMPercentage), then the fast-jar.
# Kept short: ONNX Runtime crashes when the JVM command line is longer than about 4 KB.
set -e
exec java ${JAVA_OPTS} ${JAVA_OPTS_APPEND} -jar /deployments/quarkus-run.jar "$@"
