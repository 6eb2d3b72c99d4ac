#!/usr/bin/env bash
# Installs or builds everything the tests need, into the git-ignored .tools/
# folder (Go tools) or from Debian's packages (nginx, Prometheus). Idempotent:
# a tool that is already at the pinned version is not rebuilt.
#
#   SPIRE v1.13.3 (server and agent)  built from the Go module proxy (cgo; ~13 min cold)
#   Caddy v2.11.9                     go install
#   ghz v0.120.0                      go install
#   registry v3.1.2 (CNCF distribution) go install (oci:// policy bundle e2e)
#   nginx (with auth_request)         apt-get
#   Prometheus                        apt-get
#   Chromium (headless, admin UI e2e) apt-get
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="$ROOT/.tools/bin"
mkdir -p "$BIN"
export GOBIN="$BIN"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

SPIRE_VERSION=v1.13.3
CADDY_VERSION=v2.11.9
GHZ_VERSION=v0.120.0
REGISTRY_VERSION=v3.1.2

stamp_ok() { [[ -x "$BIN/$1" && "$(cat "$BIN/.$1.version" 2>/dev/null)" == "$2" ]]; }
stamp() { echo "$2" > "$BIN/.$1.version"; }

log() { echo "tools: $*" >&2; }

install_spire() {
  if stamp_ok spire-server "$SPIRE_VERSION" && stamp_ok spire-agent "$SPIRE_VERSION"; then return; fi
  log "building SPIRE $SPIRE_VERSION (cgo; about 13 minutes on a cold cache)"
  (cd "$ROOT/test/tools/spire" && CGO_ENABLED=1 go install \
    github.com/spiffe/spire/cmd/spire-server github.com/spiffe/spire/cmd/spire-agent)
  stamp spire-server "$SPIRE_VERSION"; stamp spire-agent "$SPIRE_VERSION"
}

install_go_tool() { # name module version
  if stamp_ok "$1" "$3"; then return; fi
  log "installing $1 $3"
  (cd /tmp && go install "$2@$3")
  stamp "$1" "$3"
}

apt_updated=false
apt_install() { # command package
  if command -v "$1" >/dev/null 2>&1; then return; fi
  log "installing $2 from Debian"
  if ! $apt_updated; then apt-get update -qq >/dev/null; apt_updated=true; fi
  # Keep Debian's maintainer scripts from starting system services.
  local prc=/usr/sbin/policy-rc.d created=false
  if [[ ! -e $prc ]]; then printf '#!/bin/sh\nexit 101\n' > $prc; chmod +x $prc; created=true; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
  if $created; then rm -f $prc; fi
}

want="${*:-spire caddy ghz registry nginx prometheus chromium}"
for t in $want; do
  case $t in
    spire) install_spire ;;
    caddy) install_go_tool caddy github.com/caddyserver/caddy/v2/cmd/caddy "$CADDY_VERSION" ;;
    ghz) install_go_tool ghz github.com/bojand/ghz/cmd/ghz "$GHZ_VERSION" ;;
    registry) install_go_tool registry github.com/distribution/distribution/v3/cmd/registry "$REGISTRY_VERSION" ;;
    nginx) apt_install nginx nginx ;;
    prometheus) apt_install prometheus prometheus ;;
    chromium) apt_install chromium chromium ;;
    *) echo "unknown tool $t" >&2; exit 2 ;;
  esac
done
log "ready: $want"
