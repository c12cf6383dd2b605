#!/usr/bin/env bash
# The production image, proven: builds docker/Dockerfile, runs `APP=migrate` and then every app as
# its own container with the restrictions of docker/compose.yml (read-only root, /tmp on tmpfs, no
# capabilities, no new privileges, the image's non-root user) against this machine's Postgres and
# NATS (host network), and runs the e2e contract suites against the gateway container
# (e2e/src/containers.containers-spec.ts). Everything it starts and the test database go on exit.
#
#   sudo bash docker/test-containers.sh
#
# For a machine without Docker Hub (see DEVELOPERS.md): the base image is built here, once, from a
# debootstrapped Debian and this machine's Node (`local/node-base`, docker/node-base.Dockerfile),
# and passed to the Dockerfile as NODE_IMAGE. The build runs in buildah (the Dockerfile needs
# BuildKit features: RUN --mount, COPY --chmod), the containers in Docker.
#
# Settings (environment): TEST_POSTGRES_URL (a role that may create databases; default
# postgres://postgres@127.0.0.1:5432/postgres), TEST_NATS_URL (default nats://127.0.0.1:4222),
# CONTAINERS_JEST_JSON (jest's --json report; default reports/jest/containers.json, which
# tools/jest-summary.js counts), DEBIAN_MIRROR (default: this machine's apt source for bookworm),
# CONTAINERS_KEEP_LOGS=1 (print every container's log at the end, not only on failure).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

IMAGE=vidivo:containers-test
BASE_IMAGE=local/node-base
DEBIAN_IMAGE=local/debian:bookworm
POSTGRES_ADMIN_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
NATS_URL="${TEST_NATS_URL:-nats://127.0.0.1:4222}"
REPORT="${CONTAINERS_JEST_JSON:-reports/jest/containers.json}"
# The links contract expects this PUBLIC_WEB_URL (e2e/src/platform-under-test.ts).
PUBLIC_WEB_URL=https://vidivo.test
RUN_ID="$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
PREFIX="vidivo-ct-$RUN_ID"
DATABASE="vidivo_containers_$RUN_ID"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vidivo-containers.XXXXXX")"
chmod 700 "$WORK"
STARTED_AT=$SECONDS
export DOCKER_BUILDKIT=0 # the base image is built by Docker's classic builder (no buildx here)

log() { echo "[containers +$((SECONDS - STARTED_AT))s] $*"; }
die() { echo "[containers] FAILED: $*" >&2; exit 1; }

# ---- teardown: containers, the test database and the scratch folder, whatever happened --------
database_created=false
tests_ran=false
cleanup() {
  local status=$?
  set +e
  local containers
  containers="$(docker ps -aq --filter "label=vidivo.containers-test=$RUN_ID" 2>/dev/null)"
  if [ -n "$containers" ]; then
    if [ "$status" -ne 0 ] || [ "${CONTAINERS_KEEP_LOGS:-}" = 1 ]; then
      for id in $containers; do
        echo "----- $(docker inspect --format '{{.Name}} (exit {{.State.ExitCode}}, health {{if .State.Health}}{{.State.Health.Status}}{{else}}-{{end}})' "$id") -----"
        docker logs --tail 60 "$id" 2>&1
      done
    fi
    log "stopping and removing $(echo "$containers" | wc -w) containers"
    # docker stop sends SIGTERM and waits (the apps drain within SHUTDOWN_TIMEOUT_SECONDS).
    docker stop --time 25 $containers >/dev/null
    docker rm -f $containers >/dev/null
  fi
  if $database_created; then
    psql "$POSTGRES_ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null && log "dropped database $DATABASE"
  fi
  rm -rf "$WORK"
  # A failure before jest ran still shows in the CI summary (tools/jest-summary.js) as a test file
  # that could not run, rather than as nothing at all.
  if [ "$status" -ne 0 ] && ! $tests_ran; then
    mkdir -p "$(dirname "$REPORT")"
    echo '{"numPassedTests":0,"numFailedTests":0,"numRuntimeErrorTestSuites":1,"success":false,"testResults":[]}' >"$REPORT"
  fi
  log "done (exit $status)"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -f "$REPORT"
[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages, starts dockerd and builds with buildah)"
[ -x node_modules/.bin/jest ] || die "node_modules is missing: run npm ci first (the contract suites run on this machine)"

# ---- tools ------------------------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker >/dev/null || missing+=(docker.io)
command -v buildah >/dev/null || missing+=(buildah)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${missing[@]}" >"$WORK/apt.log" 2>&1 ||
    { apt-get update >>"$WORK/apt.log" 2>&1 && apt-get install -y --no-install-recommends "${missing[@]}" >>"$WORK/apt.log" 2>&1; } ||
    { tail -20 "$WORK/apt.log" >&2; die "could not install ${missing[*]}"; }
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/vidivo-dockerd.log)"
  # Its own session, so it outlives this script: the next run finds it, and its image cache, warm.
  setsid nohup dockerd >>/var/log/vidivo-dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -20 /var/log/vidivo-dockerd.log >&2; die "dockerd did not come up"; }
fi

psql "$POSTGRES_ADMIN_URL" -qAtc 'SELECT 1' >/dev/null || die "Postgres is not reachable at $POSTGRES_ADMIN_URL"
nats_hostport="${NATS_URL#*://}"
(exec 3<>"/dev/tcp/${nats_hostport%:*}/${nats_hostport##*:}") 2>/dev/null || die "NATS is not reachable at $NATS_URL"

# ---- the base image: a stand-in for node:20-bookworm-slim, built once ----------------------------
# The bookworm URI of this machine's apt sources (deb822 .sources or one-line .list).
apt_mirror() {
  local sources=()
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] && sources+=("$file")
  done
  [ ${#sources[@]} -gt 0 ] || return 0
  awk '
    function found() {
      if (!done && uris != "" && (" " suites " ") ~ / bookworm /) { print uris; done = 1 }
      uris = ""; suites = ""
    }
    FNR == 1 { found() }
    /^[ \t]*$/ { found(); next }
    /^URIs:/ { uris = $2 }
    /^Suites:/ { $1 = ""; suites = $0 }
    /^deb[ \t]/ && !done { sub(/\[[^]]*\][ \t]*/, ""); if ($3 == "bookworm") { print $2; done = 1 } }
    END { found() }
  ' "${sources[@]}" | head -n 1
}

if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "base image $BASE_IMAGE exists (docker rmi $BASE_IMAGE $DEBIAN_IMAGE to rebuild it)"
else
  if ! docker image inspect "$DEBIAN_IMAGE" >/dev/null 2>&1; then
    mirror="${DEBIAN_MIRROR:-$(apt_mirror)}"
    mirror="${mirror:-http://deb.debian.org/debian}"
    log "debootstrap bookworm (minbase) from $mirror"
    debootstrap --variant=minbase bookworm "$WORK/rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 ||
      { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
    tar -C "$WORK/rootfs" -c . | docker import - "$DEBIAN_IMAGE" >/dev/null
    rm -rf "$WORK/rootfs"
  fi
  log "building $BASE_IMAGE: $DEBIAN_IMAGE + this machine's node $(node --version), npm and CA bundle"
  mkdir "$WORK/base"
  cp "$(readlink -f "$(command -v node)")" "$WORK/base/node"
  cp -a "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$WORK/base/npm"
  cp -L /etc/ssl/certs/ca-certificates.crt "$WORK/base/ca-certificates.crt"
  docker build -q -f docker/node-base.Dockerfile -t "$BASE_IMAGE" "$WORK/base" >/dev/null 2>"$WORK/base.log" ||
    { cat "$WORK/base.log" >&2; die "building $BASE_IMAGE failed"; }
  rm -rf "$WORK/base"
fi
# buildah keeps images apart from Docker: hand it the base when it has none or an older one.
base_id="$(docker image inspect --format '{{.Id}}' "$BASE_IMAGE")"
if [ "sha256:$(buildah inspect --type image --format '{{.FromImageID}}' "$BASE_IMAGE" 2>/dev/null)" != "$base_id" ]; then
  log "handing $BASE_IMAGE to buildah"
  buildah pull -q "docker-daemon:$BASE_IMAGE:latest" >/dev/null
fi

# ---- the production image ----------------------------------------------------------------------
log "building $IMAGE from docker/Dockerfile (NODE_IMAGE=$BASE_IMAGE; log: on failure)"
# buildah's untagged images, newest first: the layer cache of earlier builds.
untagged() { buildah images -a --no-trunc --format '{{.ID}} {{.Name}}' | awk '$2 == "<none>" { sub(/^sha256:/, "", $1); print $1 }'; }
cached_before="$(untagged)"
# --layers: unchanged steps (npm ci above all) come from the previous build; --format docker keeps
# the HEALTHCHECK (OCI images have none).
buildah bud --isolation chroot --layers --format docker --pull=false \
  --build-arg NODE_IMAGE="$BASE_IMAGE" --ignorefile docker/Dockerfile.dockerignore \
  -f docker/Dockerfile -t "$IMAGE" . >"$WORK/build.log" 2>&1 ||
  { tail -60 "$WORK/build.log" >&2; die "building $IMAGE failed"; }
# Keep this build's layers as the next one's cache and drop the rest, so the disk does not fill up
# one changed source tree at a time (children first: the list is newest first).
# (a build that reused nothing, as after a new base image, has no such line: grep must not end the script)
reused="$( { grep -o 'Using cache [0-9a-f]*' "$WORK/build.log" || true; } | awk '{ print $3 }')"
for id in $cached_before; do
  grep -qx "$id" <<<"$reused" || buildah rmi "$id" >/dev/null 2>&1 || true
done
previous_id="$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
buildah push -q "$IMAGE" "docker-daemon:$IMAGE" >"$WORK/push.log" 2>&1 || { cat "$WORK/push.log" >&2; die "handing $IMAGE to Docker failed"; }
image_id="$(docker image inspect --format '{{.Id}}' "$IMAGE")"
[ -n "$previous_id" ] && [ "$previous_id" != "$image_id" ] && docker rmi "$previous_id" >/dev/null 2>&1 || true

# The user the image runs as; the containers run as exactly that, and it must not be root.
USER_SPEC="$(docker image inspect --format '{{.Config.User}}' "$IMAGE")"
case "${USER_SPEC%%:*}" in
  '' | 0 | root) die "$IMAGE runs as root (USER '$USER_SPEC')" ;;
esac
log "image ready: $(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{ printf "%d MB", $1 / 1e6 }'), user $USER_SPEC"

# ---- configuration made for this run: keys and secrets never leave $WORK -----------------------
read -r P_GATEWAY P_IDENTITY P_LINKS P_CALLS P_BILLING P_SCHEDULING P_SIGNALING P_EMULATOR < <(node -e '
  const net = require("node:net");
  (async () => {
    const servers = [];
    for (let i = 0; i < 8; i++) {
      const server = net.createServer();
      await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
      servers.push(server);
    }
    console.log(servers.map((server) => server.address().port).join(" "));
    servers.forEach((server) => server.close());
  })();')
node -e '
  // As docker/generate-env.js does: a fresh RS256 key pair and secrets, one line each.
  const { generateKeyPairSync, randomBytes } = require("node:crypto");
  const { writeFileSync } = require("node:fs");
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const oneLine = (pem) => pem.trim().replace(/\n/g, "\\n");
  const secret = () => randomBytes(32).toString("base64url");
  writeFileSync(process.argv[1], [
    `JWT_PRIVATE_KEY=${oneLine(privateKey)}`,
    `JWT_PUBLIC_KEY=${oneLine(publicKey)}`,
    `TURN_SECRET=${secret()}`,
    `STRIPE_WEBHOOK_SECRET=whsec_${secret()}`,
  ].join("\n") + "\n", { mode: 0o600 });' "$WORK/secrets.env"
secret() { grep "^$1=" "$WORK/secrets.env"; }

DATABASE_URL="${POSTGRES_ADMIN_URL%/*}/$DATABASE"
SIGNALING_PUBLIC_URL="ws://127.0.0.1:$P_SIGNALING/signal/ws"
EMULATOR_URL="http://127.0.0.1:$P_EMULATOR"
GATEWAY_URL="http://127.0.0.1:$P_GATEWAY"

# One env file per container with only what that app needs (as in compose.yml); docker reads each
# line literally, and the apps turn a literal \n in a key back into a line break.
env_file() {
  local app="$1" port="$2"
  shift 2
  {
    echo "APP=$app"
    echo "LOG_LEVEL=warn"
    # Host network: listen on loopback only, never on the machine's interfaces.
    echo "HOST=127.0.0.1"
    echo "PORT=$port"
    for line in "$@"; do echo "$line"; done
  } >"$WORK/$app.env"
  chmod 600 "$WORK/$app.env"
  echo "$WORK/$app.env"
}
shared=("NATS_URL=$NATS_URL" "PUBLIC_WEB_URL=$PUBLIC_WEB_URL")
with_db=("${shared[@]}" "DATABASE_URL=$DATABASE_URL")
declare -A ENV_FILE PORT
ENV_FILE[migrate]="$(env_file migrate 3000 "${with_db[@]}" "$(secret JWT_PRIVATE_KEY)" "$(secret JWT_PUBLIC_KEY)" "$(secret TURN_SECRET)" STRIPE_SECRET_KEY=sk_test_vidivo_emulator)"
ENV_FILE[stripe-emulator]="$(env_file stripe-emulator "$P_EMULATOR" "STRIPE_EMULATOR_PORT=$P_EMULATOR" "STRIPE_EMULATOR_WEBHOOK_URL=$GATEWAY_URL/v1/webhooks/stripe" "$(secret STRIPE_WEBHOOK_SECRET)")"
ENV_FILE[gateway]="$(env_file gateway "$P_GATEWAY" "${with_db[@]}" "$(secret JWT_PUBLIC_KEY)" RATE_LIMIT_PER_MINUTE=0 DECLINED_PAYMENTS_PER_HOUR=0 "SIGNALING_PUBLIC_URL=$SIGNALING_PUBLIC_URL")"
ENV_FILE[identity]="$(env_file identity "$P_IDENTITY" "${with_db[@]}" "$(secret JWT_PRIVATE_KEY)")"
ENV_FILE[links]="$(env_file links "$P_LINKS" "${with_db[@]}")"
ENV_FILE[calls]="$(env_file calls "$P_CALLS" "${with_db[@]}" "$(secret JWT_PRIVATE_KEY)" "$(secret TURN_SECRET)" "SIGNALING_PUBLIC_URL=$SIGNALING_PUBLIC_URL" "TURN_URLS=turn:127.0.0.1:3478?transport=udp")"
ENV_FILE[billing]="$(env_file billing "$P_BILLING" "${with_db[@]}" STRIPE_SECRET_KEY=sk_test_vidivo_emulator "STRIPE_API_BASE=$EMULATOR_URL" "$(secret STRIPE_WEBHOOK_SECRET)")"
ENV_FILE[scheduling]="$(env_file scheduling "$P_SCHEDULING" "${with_db[@]}")"
ENV_FILE[signaling]="$(env_file signaling "$P_SIGNALING" "${shared[@]}" "$(secret JWT_PUBLIC_KEY)")"
PORT=([gateway]=$P_GATEWAY [identity]=$P_IDENTITY [links]=$P_LINKS [calls]=$P_CALLS [billing]=$P_BILLING [scheduling]=$P_SCHEDULING [signaling]=$P_SIGNALING [stripe-emulator]=$P_EMULATOR)

# compose.yml's x-app: init, read_only, tmpfs /tmp, cap_drop ALL, no-new-privileges; plus the
# image's own user, named explicitly. The image's HEALTHCHECK runs as built, only more often.
run_app() {
  local app="$1"
  shift
  docker run --name "$PREFIX-$app" --label "vidivo.containers-test=$RUN_ID" \
    --init --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
    --user "$USER_SPEC" --network host --env-file "${ENV_FILE[$app]}" \
    --health-interval 2s --stop-timeout 25 "$@" "$IMAGE"
}

# Healthy by the image's HEALTHCHECK, and (apps with a /health) ready from the outside.
wait_healthy() {
  local app="$1" container="$PREFIX-$1" deadline=$((SECONDS + 180)) state ready_url=""
  [ "$app" = stripe-emulator ] || ready_url="http://127.0.0.1:${PORT[$app]}/health/ready"
  while :; do
    state="$(docker inspect --format '{{.State.Status}} {{.State.Health.Status}}' "$container")"
    case "$state" in
      "running healthy")
        if [ -z "$ready_url" ] || curl -fsS -o /dev/null --max-time 5 "$ready_url"; then return 0; fi
        ;;
      running*) ;;
      *) die "$app exited ($state)" ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || die "$app not healthy and ready within 180 s ($state)"
    sleep 1
  done
}

# ---- the database, migrations, the apps -----------------------------------------------------------
psql "$POSTGRES_ADMIN_URL" -qAtc "CREATE DATABASE $DATABASE" >/dev/null
database_created=true
log "database $DATABASE created; APP=migrate"
run_app migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; die "APP=migrate failed"; }
sed 's/^/  /' "$WORK/migrate.log"
docker rm "$PREFIX-migrate" >/dev/null

log "starting stripe-emulator, then gateway identity links calls billing scheduling signaling"
run_app stripe-emulator -d >/dev/null
wait_healthy stripe-emulator
APPS=(gateway identity links calls billing scheduling signaling)
for app in "${APPS[@]}"; do run_app "$app" -d >/dev/null; done
for app in "${APPS[@]}"; do wait_healthy "$app"; done
log "every container is healthy and ready"

# ---- the contract suites against the gateway container -----------------------------------------
CONTAINERS_APPS="$(
  for app in "${APPS[@]}" stripe-emulator; do
    url="http://127.0.0.1:${PORT[$app]}/health/ready"
    [ "$app" = stripe-emulator ] && url="$EMULATOR_URL"
    printf '"%s":{"container":"%s","healthUrl":"%s"},' "$app" "$PREFIX-$app" "$url"
  done
)"
export CONTAINERS_APPS="{${CONTAINERS_APPS%,}}" CONTAINERS_GATEWAY_URL="$GATEWAY_URL"
mkdir -p "$(dirname "$REPORT")"
log "jest -c e2e/jest.containers.config.js against $GATEWAY_URL"
tests_ran=true
node_modules/.bin/jest -c e2e/jest.containers.config.js --ci --json --outputFile="$REPORT"
log "container stage passed in $((SECONDS - STARTED_AT)) s"
