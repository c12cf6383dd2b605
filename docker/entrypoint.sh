#!/bin/sh
# Runs the app named by APP; arguments are passed on (`--migrate-only` migrates and exits).
# APP=migrate runs every app that owns a schema with --migrate-only, one after another: the
# one-shot migration step of docker/compose.yml and of the Kubernetes Job.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"

# The apps that own a Postgres schema (signaling and the Stripe emulator have none).
SCHEMA_APPS="gateway identity links calls billing scheduling"

case "${APP:-}" in
  gateway | identity | links | calls | billing | scheduling | signaling | stripe-emulator)
    exec node "$root/dist/apps/$APP/src/main.js" "$@"
    ;;
  migrate)
    for app in $SCHEMA_APPS; do
      echo "migrate: $app"
      node "$root/dist/apps/$app/src/main.js" --migrate-only
    done
    echo "migrate: every schema is up to date"
    ;;
  *)
    echo "APP must be one of: $SCHEMA_APPS signaling stripe-emulator migrate (got '${APP:-}')" >&2
    exit 64
    ;;
esac
