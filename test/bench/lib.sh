# Shell helpers shared by the whole-server benchmarks (ghz.sh, extproc.sh).
# The caller sets server_pid and work before using them.

# cpu_ticks PID: utime+stime in clock ticks (fields 14 and 15; the comm
# field is skipped by cutting after its closing parenthesis).
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# wait_port HOST:PORT: until it accepts, or fail (showing the server logs)
# when the server exits first.
wait_port() {
  local host=${1%:*} port=${1#*:}
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { echo "server exited:" >&2; cat "$work"/*.log >&2; return 1; }
    sleep 0.05
  done
  echo "server did not listen on $1" >&2; return 1
}
