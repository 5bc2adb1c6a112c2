#!/usr/bin/env bash
# WebSocket echo round trips through jwtgate and through stock nginx on this machine, side by side.
#
#   bench/ws.sh [-d seconds] [-w warm-up seconds] [-c connections] [-p payload bytes] [-r rounds]
#
# One echo server (Netty's WebSocket server, bench/.../WebSocketEchoLoad serve), stock nginx and jwtgate (each ONE
# worker) proxying /ws to it with the usual configuration (map $http_upgrade $connection_upgrade, proxy_http_version
# 1.1, Upgrade and Connection set). The load (WebSocketEchoLoad load) keeps -c (50) connections, each sending a
# -p (125) byte text frame and waiting for the echo, in a closed loop; -r (3) rounds of -d (10) seconds after -w (5)
# seconds of warm-up, nginx then jwtgate in each round. Prints round trips per second and p50/p99/p99.9 latency for
# each, and the p99 ratio jwtgate / nginx (target: < 2x). Only ratios measured in one run mean anything.
set -euo pipefail

duration=10
warmup=5
connections=50
payload=125
rounds=3
while getopts "d:w:c:p:r:" opt; do
  case $opt in
    d) duration=$OPTARG ;;
    w) warmup=$OPTARG ;;
    c) connections=$OPTARG ;;
    p) payload=$OPTARG ;;
    r) rounds=$OPTARG ;;
    *) exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
"$root/jwtgate" -v >/dev/null   # builds the jar when it is missing or stale
JAR="$root/cli/target/jwtgate.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVA_OPTS=$(JWTGATE_PRINT_JAVA_OPTS=1 "$root/jwtgate")
BENCH_JAR="$root/bench/target/benchmarks.jar"
[[ -f $BENCH_JAR ]] || (cd "$root" && mvn -B -q -o package -DskipTests -pl bench -am >/dev/null)

work=$(mktemp -d /tmp/jwtgate-ws.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo $p; return; fi
  done
}
wait_port() {
  for _ in $(seq 1 400); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on $1" >&2; exit 1
}

echo_port=$(free_port)
"$JAVA" -Xmx256m -cp "$BENCH_JAR" io.jwtgate.bench.WebSocketEchoLoad serve "$echo_port" &
pids+=($!)
wait_port "$echo_port"

conf() { # dir port
  mkdir -p "$1/logs"
  cat > "$1/nginx.conf" <<CONF
worker_processes 1;
error_log $1/logs/error.log warn;
pid $1/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
    server {
        listen 127.0.0.1:$2;
        location /ws {
            proxy_pass http://127.0.0.1:$echo_port;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
        }
    }
}
CONF
}

nginx_port=$(free_port)
conf "$work/nginx" "$nginx_port"
"$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
gw_port=$(free_port)
conf "$work/jwtgate" "$gw_port"
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS -jar "$JAR" -c "$work/jwtgate/nginx.conf" &
pids+=($!)
wait_port "$nginx_port"
wait_port "$gw_port"

load() { "$JAVA" -Xmx512m -cp "$BENCH_JAR" io.jwtgate.bench.WebSocketEchoLoad load "$1" "$connections" "$duration" "$warmup" "$payload"; }

printf '%-8s %-6s %s\n' round proxy result
n_p99=(); g_p99=()
for r in $(seq 1 "$rounds"); do
  n=$(load "$nginx_port"); printf '%-8s %-8s %s\n' "$r" nginx "$n"
  g=$(load "$gw_port"); printf '%-8s %-8s %s\n' "$r" jwtgate "$g"
  n_p99+=("$(awk '{print $6}' <<<"$n")"); g_p99+=("$(awk '{print $6}' <<<"$g")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
nm=$(median "${n_p99[@]}"); gm=$(median "${g_p99[@]}")
awk -v n="$nm" -v g="$gm" 'BEGIN { printf "median p99: nginx %d us, jwtgate %d us, ratio %.2fx (target < 2x)\n", n, g, g / n }'
