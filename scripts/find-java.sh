# Sourced by ./feint and .ci/run: sets JAVA_HOME to a JDK 25 or explains what is missing.
feint_find_java() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=("/usr/lib/jvm/temurin-25-jdk-amd64")
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ]; then
      local v
      v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
      if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
        export JAVA_HOME="$c"
        return 0
      fi
      echo "feint: $c/bin/java is Java $v; Feint needs JDK 25 or newer." >&2
    fi
  done
  echo "feint: no JDK 25 found. Looked at \$JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/temurin-25-jdk-amd64." >&2
  echo "       Install a JDK 25 (e.g. Eclipse Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}

# Sourced by ./feint: the JVM option that puts the heap on transparent huge pages when the kernel
# offers them on request (its THP setting, $1 or /sys/kernel/mm/transparent_hugepage/enabled,
# reads "[madvise]" or "[always]"), else nothing. On a VM, memory left untouched for a few
# milliseconds costs microseconds per 4 KiB page at its next touch; see ./feint.
feint_huge_pages_opt() {
  if grep -qE '\[(madvise|always)\]' "${1:-/sys/kernel/mm/transparent_hugepage/enabled}" 2>/dev/null; then
    echo "-XX:+UseTransparentHugePages"
  fi
}
