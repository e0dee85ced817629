#!/usr/bin/env bash
# The dashboard's frame time with many clusters (default 1000) and its memory:
#   scripts/bench-tui.sh [CLUSTERS] [FRAMES] [COLUMNS] [ROWS]
# Runs dev.pgo.tui.FrameBench (pgo-tui's test sources) with the launcher's JVM
# options, in a heap as small as a terminal tool should need.
set -euo pipefail
cd "$(dirname "$0")/.."
# make bench builds first; alone, this builds what is missing
[ -f pgo-tui/target/test-classes/dev/pgo/tui/FrameBench.class ] && [ -d pgo-cmd/target/lib ] \
  || scripts/with-tools mvn -B -q -Dstyle.color=never install -DskipTests
java="$(scripts/with-tools sh -c 'command -v java')"
cp="pgo-tui/target/test-classes:operator-core/target/operator-core-0.1.0-SNAPSHOT-tests.jar:pgo-cmd/target/lib/*"
exec "$java" -XX:+UseSerialGC -Xmx256m -cp "$cp" dev.pgo.tui.FrameBench "$@"
