#!/usr/bin/env bash
# PeerTurns (ORT only: 34 ms turns and 1 s rounds after 200 ms pauses), own process vs in-process alternating, parent on THP.
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx8g -Xmn512m -XX:+UseTransparentHugePages -Xss8m --enable-native-access=ALL-UNNAMED -cp /tmp/peerproc-jars2/feint-bench.jar:/tmp/peerproc-jars2/feint.jar:/tmp/pt dev.feint.bench.PeerTurns"
$J 128 1 own in own in own in
$J 1 1 own in own in
$J 512 2 own in own in
