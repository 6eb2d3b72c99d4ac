#!/usr/bin/env bash
# Builds Tollgate's container image without Docker, for linux/amd64 and
# linux/arm64, as an OCI image layout, with an SPDX SBOM per platform:
#
#   test/image/build.sh              # writes .run/image/ (git-ignored)
#   VERSION=v0.1.0 test/image/build.sh
#
# Output:
#   .run/image/oci/                        OCI layout, tag $VERSION
#   .run/image/sbom-linux-{amd64,arm64}.spdx.json
#
# The image is ghcr.io/tollgate-authz/tollgate:$VERSION. VERSION defaults to
# `git describe --tags --always --dirty`. Push or load it with any OCI tool:
#   skopeo copy oci:.run/image/oci:$VERSION docker://REGISTRY/tollgate:$VERSION
#   crane push .run/image/oci REGISTRY/tollgate:$VERSION
set -euo pipefail
cd "$(dirname "$0")/../.."

OUT=${OUT:-.run/image}
VERSION=${VERSION:-$(git describe --tags --always --dirty)}
REVISION=${REVISION:-$(git rev-parse HEAD)}
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then MODIFIED=true; else MODIFIED=false; fi
EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}

rm -rf "$OUT"
go run ./test/tools/image -out "$OUT" -version "$VERSION" -revision "$REVISION" \
	-modified "$MODIFIED" -epoch "$EPOCH" "$@"
