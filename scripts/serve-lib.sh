# Starting and stopping a throwaway Insignia server, for the measuring scripts (bench.sh,
# bench-events.sh, bench-outbox.sh, slow-phone.sh). Source it; it defines:
#
#   free_port              prints a free TCP port on 127.0.0.1
#   serve LOG BIN ARGS...  starts `BIN ARGS... --addr 127.0.0.1:$port serve` (port from
#                          free_port, left in $port) with its output in LOG, sets $server to its
#                          pid and returns once it answers /login (fails after 20 s)
#   stop_server            stops the server `serve` started, if any
#
# A script that sources it calls stop_server from its own EXIT trap.

server=
port=

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

serve() {
  local log=$1
  shift
  port=$(free_port)
  "$@" --addr "127.0.0.1:$port" serve >"$log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/login" && return 0
    kill -0 "$server" 2>/dev/null || break
    sleep 0.2
  done
  echo "the server did not answer; its log ($log) ends:" >&2
  tail -n 20 "$log" >&2
  return 1
}

stop_server() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
  fi
}
