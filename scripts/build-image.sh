#!/usr/bin/env bash
# The container's build, as the Dockerfile runs it, and runnable without Docker:
#   scripts/build-image.sh <source dir> <output dir>
# Stage 1 installs every dependency and compiles TypeScript; stage 2 assembles what the image
# holds: package files, production dependencies only, and the compiled code.
set -euo pipefail
src=$(cd "${1:?source dir}" && pwd)
out=${2:?output dir}
mkdir -p "$out"
out=$(cd "$out" && pwd)
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

# Stage 1: build with the dev dependencies.
cp "$src/package.json" "$src/package-lock.json" "$src/.npmrc" "$src/tsconfig.json" "$src/tsconfig.build.json" "$build/"
cp -R "$src/src" "$build/src"
(cd "$build" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)

# Stage 2: what runs: production dependencies and the compiled code, nothing else.
cp "$src/package.json" "$src/package-lock.json" "$src/.npmrc" "$out/"
(cd "$out" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
rm -rf "$out/dist" && cp -R "$build/dist" "$out/dist"
