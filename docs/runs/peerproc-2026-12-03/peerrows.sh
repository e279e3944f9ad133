#!/usr/bin/env bash
# PeerRows (see the class) under the bench lock, the parent on the launcher's options (huge pages on).
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx8g -Xmn512m -XX:+UseTransparentHugePages -Xss8m --enable-native-access=ALL-UNNAMED -cp /tmp/peerproc-jars2/feint-bench.jar:/tmp/peerproc-jars2/feint.jar:/tmp/pt dev.feint.bench.PeerRows"
$J 1 1 own in own-nofeint in-nofeint own in
$J 128 1 own in own-nofeint in-nofeint
