#!/usr/bin/env bash
# Installs and starts what the test suite needs beyond Python, from Debian's packages:
# PostGIS in the machine's PostgreSQL server, GDAL's command-line tools, mdbtools (Access archives),
# Chromium for browser tests.
# Writes var/test-env with the URLs the tests read. Idempotent: quick when all is in place.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var

pg_major() { ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1; }
need=()
PGV="$(pg_major)"
if [ -n "$PGV" ] && [ ! -f "/usr/share/postgresql/$PGV/extension/postgis.control" ]; then need+=("postgresql-$PGV-postgis-3"); fi
command -v ogr2ogr >/dev/null || need+=(gdal-bin)
command -v mdb-export >/dev/null || need+=(mdbtools)  # Access .mdb/.accdb archives (minewatch migrate)
/usr/bin/python3 -c "import osgeo.ogr" 2>/dev/null || need+=(python3-gdal)  # builds the FileGDB test fixtures (domains, relationships)
command -v pg_dump >/dev/null || need+=(postgresql-client)  # minewatch backup / restore
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing from Debian: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing Debian packages (need root to install): ${need[*]}" >&2
  fi
fi

PGHOST="${MINEWATCH_PGHOST:-127.0.0.1}"
PGPORT="${MINEWATCH_PGPORT:-5432}"
PGUSER="${MINEWATCH_PGUSER:-postgres}"
DB="${MINEWATCH_PGDATABASE:-minewatch_test}"
psql_do() { psql -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$@"; }

if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
  if [ -n "$PGV" ] && command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$PGV" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
  fi
fi

if pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
  if ! psql_do -d postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
    psql_do -d postgres -c "create database $DB"
  fi
  psql_do -d "$DB" -c "create extension if not exists postgis"
  # The owner and application roles the PostGIS role tests connect as (docs/security.md);
  # each test grants them its own schema with `minewatch db create-roles`' code.
  for role in minewatch_test_owner minewatch_test_app; do
    if ! psql_do -d postgres -tAc "select 1 from pg_roles where rolname='$role'" | grep -q 1; then
      psql_do -d postgres -c "create role $role login nosuperuser nocreatedb nocreaterole"
    fi
  done
  echo "MINEWATCH_TEST_POSTGRES_URL=postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" > var/test-env
else
  echo "PostgreSQL is not reachable at $PGHOST:$PGPORT; PostGIS tests will fail in CI" >&2
  : > var/test-env
fi
command -v chromium >/dev/null && echo "MINEWATCH_CHROMIUM=$(command -v chromium)" >> var/test-env
true
