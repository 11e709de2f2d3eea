#!/usr/bin/env bash
# A three-node rqlite cluster on 127.0.0.1, for crm's tests and for trying
# crm with a team's book on one machine.
#
#   cluster.sh start DIR   build rqlited if missing, start three nodes with
#                          their data in DIR, wait until they are ready;
#                          writes DIR/url (rqlite://127.0.0.1:P1,…:P2,…:P3),
#                          DIR/pids (one PID a line, n1 first) and
#                          DIR/http (one host:port a line, same order)
#   cluster.sh stop DIR    stop exactly the PIDs in DIR/pids
#   cluster.sh build       build rqlited only
#
# rqlited (rqlite v8.43.4, the version crm is tested with; v9 and later are
# not to be used) is built from the tools module beside this script into
# testdata/bin/rqlited (cgo: needs gcc; about 5 minutes the first time).
# RQLITED=/path/to/rqlited uses another binary.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${RQLITED:-$here/bin/rqlited}"

build() {
  if [ -x "$bin" ]; then return 0; fi
  echo "cluster.sh: building rqlited v8.43.4 into $bin (cgo; the first build takes minutes)" >&2
  mkdir -p "$(dirname "$bin")"
  (cd "$here/rqlited" && CGO_ENABLED=1 go build -o "$bin" github.com/rqlite/rqlite/v8/cmd/rqlited)
}

# free_port prints a TCP port on 127.0.0.1 that nothing listens on now,
# below the kernel's ephemeral range: a port in it can be taken between the
# check and the node's bind by any outgoing connection (the nodes' own among
# them), which once failed a start with "bind: address already in use".
free_port() {
  local p lo=32768 span
  read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  span=$((lo - 10000))
  if [ "$span" -lt 1000 ]; then span=20000; fi
  for _ in $(seq 1 200); do
    p=$((10000 + RANDOM % span))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"; return 0
    fi
    exec 3>&- 2>/dev/null || true
  done
  echo "cluster.sh: no free port found" >&2; return 1
}

wait_ready() { # host:port log
  for _ in $(seq 1 300); do
    if curl -fsS "http://$1/readyz" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "cluster.sh: node $1 not ready after 30 s; the end of its log $2:" >&2
  tail -5 "$2" >&2
  return 1
}

start() {
  local dir=$1
  build
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ -s "$dir/pids" ]; then
    echo "cluster.sh: $dir/pids exists: a cluster may be running there; stop it first" >&2; return 1
  fi
  : >"$dir/pids"; : >"$dir/http"
  local used=" " join="" url=""
  for n in 1 2 3; do
    local hp rp
    hp=$(free_port); while [[ $used == *" $hp "* ]]; do hp=$(free_port); done; used+="$hp "
    rp=$(free_port); while [[ $used == *" $rp "* ]]; do rp=$(free_port); done; used+="$rp "
    local args=(-node-id "n$n" -http-addr "127.0.0.1:$hp" -raft-addr "127.0.0.1:$rp" -fk)
    if [ -n "$join" ]; then args+=(-join "$join"); fi
    "$bin" "${args[@]}" "$dir/n$n" >"$dir/n$n.log" 2>&1 &
    echo $! >>"$dir/pids"
    echo "127.0.0.1:$hp" >>"$dir/http"
    if [ -z "$join" ]; then
      join="127.0.0.1:$rp" # the others join the first's Raft port
      wait_ready "127.0.0.1:$hp" "$dir/n$n.log"
    fi
    url+="${url:+,}127.0.0.1:$hp"
  done
  local i=0
  while read -r h; do i=$((i + 1)); wait_ready "$h" "$dir/n$i.log"; done <"$dir/http"
  echo "rqlite://$url" >"$dir/url"
  echo "rqlite://$url"
}

stop() {
  local dir=$1
  [ -f "$dir/pids" ] || return 0
  while read -r pid; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done <"$dir/pids"
  while read -r pid; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done <"$dir/pids"
  rm -f "$dir/pids"
}

case "${1:-}" in
  start) start "${2:?usage: cluster.sh start DIR}" ;;
  stop) stop "${2:?usage: cluster.sh stop DIR}" ;;
  build) build ;;
  *) echo "usage: cluster.sh start DIR | stop DIR | build" >&2; exit 2 ;;
esac
