#!/usr/bin/env bash
# Builds the council-branded GOV.UK Frontend assets into static/govuk/.
# The output is committed, so only run this when changing portal.scss or
# upgrading govuk-frontend. Usage: bash protocol_portal/frontend/build.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

OUT=../../static/govuk
GOVUK=node_modules/govuk-frontend/dist/govuk

npm ci --no-audit --no-fund --ignore-scripts

mkdir -p "$OUT"

# govuk-frontend 5.x still uses @import and global Sass functions; silence
# those deprecations (ours: import; theirs: all, via --quiet-deps).
npx sass --no-source-map --style=compressed \
  --load-path=node_modules \
  --quiet-deps --silence-deprecation=import \
  portal.scss "$OUT/portal.css"

# ES module build; init.js imports initAll from it. Keep its source map so
# the sourceMappingURL comment resolves (ManifestStaticFilesStorage checks it).
cp "$GOVUK/govuk-frontend.min.js" "$GOVUK/govuk-frontend.min.js.map" "$OUT/"

# No images, manifest or fonts are copied: every stock favicon/app icon and
# the manifest show the GOV.UK crown, the crest is the Royal Arms, and the
# fonts are GDS Transport. portal.scss removes the only image url().
rm -rf "$OUT/assets"

# Checks: no GDS Transport, no @font-face, every url() under /static/govuk/assets/.
css="$OUT/portal.css"
fail=0
if grep -q "GDS Transport" "$css"; then
  echo "ERROR: GDS Transport found in $css" >&2; fail=1
fi
if grep -q "@font-face" "$css"; then
  echo "ERROR: @font-face found in $css" >&2; fail=1
fi
bad_urls=$(grep -o 'url([^)]*)' "$css" | grep -v '^url(["'"'"']\{0,1\}/static/govuk/assets/' || true)
if [ -n "$bad_urls" ]; then
  echo "ERROR: url() outside /static/govuk/assets/ in $css:" >&2
  echo "$bad_urls" >&2; fail=1
fi
[ "$fail" -eq 0 ] || exit 1
echo "url() references in portal.css: $( (grep -o "url(" "$css" || true) | wc -l)"

ls -l "$css" "$OUT/govuk-frontend.min.js"
echo "portal.css: $(wc -c < "$css") bytes"
