#!/bin/sh
cd /tmp/spin
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
for i in 1 2; do
  ./feint bench --contention --quick --threads 2 > /tmp/lead/spin/spin$i.txt 2>&1
  ./feint bench --contention --quick --threads 2 --peer-java-opts "-XX:+UseParallelGC -Xmx8g -Xmn512m -Xss8m -XX:-UseTransparentHugePages -Dfeint.ort.nospin=true" > /tmp/lead/spin/nospin$i.txt 2>&1
done
