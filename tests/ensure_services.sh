#!/usr/bin/env bash
# Make sure what `make test` needs is here and running: PostgreSQL, Redis, Chromium.
# A service that is installed but stopped is started; one that is missing is named.
set -uo pipefail

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local port=$1
  for _ in $(seq 1 30); do listening "$port" && return 0; sleep 0.5; done
  return 1
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

if ! listening 5432; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "PostgreSQL is not installed. Install it (Debian: apt-get install postgresql) and allow"
    echo "the role 'postgres' on 127.0.0.1:5432, or set TEST_DATABASE_URL."
    exit 1
  fi
  echo "PostgreSQL is stopped: starting it."
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  wait_for 5432 || { echo "PostgreSQL did not start on 127.0.0.1:5432."; exit 1; }
fi

if ! listening 6379; then
  if ! command -v redis-server >/dev/null; then
    echo "Redis is not installed. Install it (Debian: apt-get install redis-server), or set TEST_REDIS_URL."
    exit 1
  fi
  echo "Redis is stopped: starting it."
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  wait_for 6379 || { echo "Redis did not start on 127.0.0.1:6379."; exit 1; }
fi

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium is missing: installing Debian's chromium."
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || { echo "Could not install chromium (Debian: apt-get install chromium)."; exit 1; }
fi
exit 0
