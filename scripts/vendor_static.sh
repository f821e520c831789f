#!/usr/bin/env bash
# Vendor the front-end assets into static/vendor/ so the product runs on an
# intranet with no internet access (no CDN).
#
# Each package is fetched with `npm pack <name>@<version>` into a temporary
# directory (no node_modules and no package.json ever land in the repo), the
# tarball is extracted there, and only the files listed below are copied.
# Trailing sourceMappingURL comments are stripped so browsers do not request
# .map files we do not ship (and so ManifestStaticFilesStorage does not fail
# on missing maps during collectstatic). static/vendor/README.md is rewritten.
#
# To update: change a version below, run `bash scripts/vendor_static.sh`,
# review `git diff --stat static/vendor`, and test the pages.
# Needs: bash, npm (and its node), tar, sed.
set -euo pipefail

BOOTSTRAP_VERSION="5.3.9"
BOOTSTRAP_ICONS_VERSION="1.13.2"
HTMX_VERSION="2.0.11"
CHARTJS_VERSION="4.6.1"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"

command -v npm >/dev/null || { echo "error: npm is required" >&2; exit 1; }
command -v node >/dev/null || { echo "error: node is required" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/vendor-static.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# README rows, filled by vendor_package.
ROWS=()

# fetch NAME VERSION -> prints the extracted package directory
fetch() {
  local name="$1" version="$2" tgz dir
  tgz="$(cd "$WORK" && npm pack --silent "${name}@${version}" | tail -n 1)"
  [[ -f "$WORK/$tgz" ]] || { echo "error: npm pack ${name}@${version} produced no tarball" >&2; exit 1; }
  dir="$WORK/x-${name}"
  mkdir -p "$dir"
  tar -xzf "$WORK/$tgz" -C "$dir"
  dir="$dir/package"
  local got
  got="$(node -p "require(process.argv[1]).version" "$dir/package.json")"
  [[ "$got" == "$version" ]] || { echo "error: ${name}: wanted ${version}, got ${got}" >&2; exit 1; }
  printf '%s\n' "$dir"
}

# vendor_package NAME VERSION DEST_SUBDIR SRC:DEST [SRC:DEST ...]
# SRC is relative to the package root, DEST relative to static/vendor/DEST_SUBDIR.
vendor_package() {
  local name="$1" version="$2" sub="$3"
  shift 3
  local pkg dest license spec src dst files=()
  pkg="$(fetch "$name" "$version")"
  dest="$VENDOR/$sub"
  rm -rf "$dest"
  mkdir -p "$dest"
  for spec in "$@"; do
    src="${spec%%:*}"
    dst="${spec#*:}"
    [[ -s "$pkg/$src" ]] || { echo "error: ${name}@${version}: missing or empty $src" >&2; exit 1; }
    mkdir -p "$(dirname "$dest/$dst")"
    cp "$pkg/$src" "$dest/$dst"
    case "$dst" in
      *.js|*.css)
        # Drop `//# sourceMappingURL=...` and `/*# sourceMappingURL=... */` lines.
        sed -i -E '/^[[:space:]]*(\/\/[#@][[:space:]]*sourceMappingURL=.*|\/\*[#@][[:space:]]*sourceMappingURL=.*\*\/[[:space:]]*)$/d' "$dest/$dst"
        if grep -q 'sourceMappingURL=' "$dest/$dst"; then
          echo "error: $sub/$dst still references a source map" >&2; exit 1
        fi
        ;;
    esac
    files+=("\`$sub/$dst\` ← \`$src\`")
  done
  license="$(node -p "require(process.argv[1]).license || 'see LICENSE'" "$pkg/package.json")"
  local joined
  joined="$(printf '%s<br>' "${files[@]}")"
  ROWS+=("| \`${name}\` | ${version} | ${license} | ${joined%<br>} |")
  echo "vendored ${name}@${version} (${license}) -> static/vendor/${sub}/"
}

mkdir -p "$VENDOR"

vendor_package bootstrap "$BOOTSTRAP_VERSION" bootstrap \
  dist/css/bootstrap.min.css:bootstrap.min.css \
  dist/js/bootstrap.bundle.min.js:bootstrap.bundle.min.js \
  LICENSE:LICENSE

# The CSS loads its fonts from url("fonts/bootstrap-icons.woff2?...") and
# url("fonts/bootstrap-icons.woff?..."), so keep them under fonts/.
vendor_package bootstrap-icons "$BOOTSTRAP_ICONS_VERSION" bootstrap-icons \
  font/bootstrap-icons.min.css:bootstrap-icons.min.css \
  font/fonts/bootstrap-icons.woff2:fonts/bootstrap-icons.woff2 \
  font/fonts/bootstrap-icons.woff:fonts/bootstrap-icons.woff \
  LICENSE:LICENSE

vendor_package htmx.org "$HTMX_VERSION" htmx \
  dist/htmx.min.js:htmx.min.js \
  LICENSE:LICENSE

# chart.umd.min.js is the minified UMD build: a plain <script> tag defines window.Chart.
vendor_package chart.js "$CHARTJS_VERSION" chartjs \
  dist/chart.umd.min.js:chart.umd.min.js \
  LICENSE.md:LICENSE.md

{
  cat <<'EOF'
# Vendored front-end assets

Served from `static/` so the product works on an intranet without internet
access (no CDN). **Do not edit these files by hand**: they are produced by
`scripts/vendor_static.sh`, which fetches each package from the npm registry
at the pinned version (`npm pack` in a temporary directory), copies only the
files below and strips trailing `sourceMappingURL` comments (no `.map` files
are shipped, so the browser requests none).

To update, change the pinned versions at the top of the script and run
`bash scripts/vendor_static.sh`.

| Package | Version | License | Files (`static/vendor/…` ← package path) |
| --- | --- | --- | --- |
EOF
  printf '%s\n' "${ROWS[@]}"
  cat <<'EOF'

Usage in templates:

```django
<link rel="stylesheet" href="{% static 'vendor/bootstrap/bootstrap.min.css' %}">
<link rel="stylesheet" href="{% static 'vendor/bootstrap-icons/bootstrap-icons.min.css' %}">
<script src="{% static 'vendor/bootstrap/bootstrap.bundle.min.js' %}"></script>
<script src="{% static 'vendor/htmx/htmx.min.js' %}"></script>
<script src="{% static 'vendor/chartjs/chart.umd.min.js' %}"></script>
```
EOF
} >"$VENDOR/README.md"

echo "wrote static/vendor/README.md"
du -sh "$VENDOR"
