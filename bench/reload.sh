#!/usr/bin/env bash
# Reload under load (docs/operations.md#reload): wrk at -c connections (50) for -d seconds (30) against a
# JWT-protected location (RS256, jwt_key_file) that proxies to a backend (stock nginx answering 200 "ok"), with a
# reload (HUP, as -s reload sends) every -i seconds (1). Prints wrk's summary, its socket errors and non-2xx count,
# and how many reloads the proxy applied; -i 0 runs without reloads, for a baseline. With -n the same run is made
# against stock nginx (plain proxying, no JWT, HUP to its master process as nginx -s reload sends) for reference.
#
#   bench/reload.sh [-c connections] [-d seconds] [-i reload interval] [-n]
set -euo pipefail

connections=50
duration=30
interval=1
with_nginx=
while getopts "c:d:i:n" opt; do
  case $opt in
    c) connections=$OPTARG ;;
    d) duration=$OPTARG ;;
    i) interval=$OPTARG ;;
    n) with_nginx=1 ;;
    *) echo "usage: $0 [-c connections] [-d seconds] [-i reload interval] [-n]" >&2; exit 1 ;;
  esac
done
command -v wrk >/dev/null || { echo "$0: wrk is needed (apt-get install wrk)" >&2; exit 1; }

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
"$root/jwtgate" -v >/dev/null   # builds the jar when it is missing or stale
JAR="$root/cli/target/jwtgate.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVA_OPTS=$(JWTGATE_PRINT_JAVA_OPTS=1 "$root/jwtgate")
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d /tmp/jwtgate-reload.XXXXXX)
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
    p=$((20000 + RANDOM % 12000))   # below the ephemeral range
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo $p; return; fi
  done
}
wait_port() {
  for _ in $(seq 1 600); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on $1" >&2; exit 1
}

backend_port=$(free_port)
mkdir -p "$work/backend"
cat > "$work/backend/nginx.conf" <<CONF
worker_processes 1;
error_log $work/backend/error.log warn;
pid $work/backend/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  server { listen 127.0.0.1:$backend_port; keepalive_requests 1000000; location / { return 200 'ok'; } }
}
CONF
"$NGINX" -p "$work/backend" -c "$work/backend/nginx.conf" -g 'daemon off;' &
pids+=($!)
wait_port "$backend_port"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa.pem" 2>/dev/null
openssl pkey -in "$work/rsa.pem" -pubout -out "$work/rsa.pub" 2>/dev/null
token=$("$JAVA" -jar "$JAR" token sign --alg RS256 --key "$work/rsa.pem" --exp 1h --claim sub=bench)

# proxy name port generation -> the configuration, with "add_header X-Generation" changed on every reload
conf() {
  local check="" temp=""
  if [[ $1 == jwtgate ]]; then
    check="jwt_key_file $work/rsa.pub pem;"
  else
    temp="client_body_temp_path $work/$1/body; proxy_temp_path $work/$1/proxy;"
  fi
  cat <<CONF
worker_processes 1;
error_log $work/$1/error.log notice;
pid $work/$1/run.pid;
events { worker_connections 4096; }
http {
  access_log off;
  $temp
  upstream backend { server 127.0.0.1:$backend_port; keepalive 64; }
  server {
    listen 127.0.0.1:$2;
    location /api {
      $check
      add_header X-Generation $3;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://backend;
    }
  }
}
CONF
}

# proxy -> runs wrk with a reload every $interval s; prints the figures
measure() {
  local name=$1 port pid
  port=$(free_port)
  mkdir -p "$work/$name"
  conf "$name" "$port" 0 > "$work/$name/nginx.conf"
  if [[ $name == jwtgate ]]; then
    # shellcheck disable=SC2086
    "$JAVA" $JAVA_OPTS -jar "$JAR" -c "$work/$name/nginx.conf" &
    pids+=($!)
  else
    "$NGINX" -p "$work/$name" -c "$work/$name/nginx.conf" -g 'daemon off;' &
    pids+=($!)
  fi
  wait_port "$port"
  pid=$(cat "$work/$name/run.pid")
  curl -fsS -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api"
  wrk -t2 -c"$connections" -d"$duration"s --latency -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$port/api" > "$work/$name/wrk.txt" &
  local wrk_pid=$! generation=0
  [[ $interval == 0 ]] || sleep "$interval"
  while [[ $interval != 0 ]] && kill -0 "$wrk_pid" 2>/dev/null; do
    generation=$((generation + 1))
    conf "$name" "$port" "$generation" > "$work/$name/nginx.conf"
    kill -HUP "$pid"
    sleep "$interval"
  done
  wait "$wrk_pid"
  local applied
  if [[ $name == jwtgate ]]; then
    applied=$(grep -c "reconfigured from" "$work/$name/error.log" || true)
  else
    applied=$(grep -c "(SIGHUP) received" "$work/$name/error.log" || true)
  fi
  echo "== $name: $connections connections, ${duration}s, HUP every ${interval}s (0: none): $generation sent, $applied applied"
  grep -E "Requests/sec|Latency  |99%|requests in" "$work/$name/wrk.txt"
  grep -E "Socket errors|Non-2xx" "$work/$name/wrk.txt" || echo "  no socket errors, no non-2xx responses"
}

measure jwtgate
[[ -n $with_nginx ]] && measure nginx
exit 0
