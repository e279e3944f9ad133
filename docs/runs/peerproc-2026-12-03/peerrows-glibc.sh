#!/usr/bin/env bash
# PeerRows with glibc's malloc asked for huge pages (both JVMs), and without, alternating, under the bench lock.
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx8g -Xmn512m -XX:+UseTransparentHugePages -Xss8m --enable-native-access=ALL-UNNAMED -cp /tmp/peerproc-jars2/feint-bench.jar:/tmp/peerproc-jars2/feint.jar:/tmp/pt dev.feint.bench.PeerRows"
for i in 1 2; do
  echo "-- GLIBC_TUNABLES=glibc.malloc.hugetlb=1"; GLIBC_TUNABLES=glibc.malloc.hugetlb=1 $J 1 1 own-nofeint own in
  echo "-- plain"; $J 1 1 own-nofeint own in
done
