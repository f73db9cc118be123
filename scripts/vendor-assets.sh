#!/usr/bin/env bash
# Copies the compiled front-end packages from node_modules into static/vendor, so that
# nothing is fetched from a CDN at run time. nhsuk-frontend's CSS loads the Frutiger web font
# from assets.nhs.uk and its icons from the site root: both are rewritten to stay local.
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules/nhsuk-frontend/dist/nhsuk
out=static/vendor
rm -rf "$out"
mkdir -p "$out/nhsuk/assets" "$out/htmx" "$out/axe-core"

# Drop every @font-face rule (all point at the internet) and make icon URLs relative.
# static/css/app.css names the local fonts instead.
perl -0pe 's/\@font-face\{[^}]*\}//g; s#url\(/assets/#url(assets/#g' \
  "$src/nhsuk-frontend.min.css" > "$out/nhsuk/nhsuk-frontend.min.css"
if grep -Eq 'https?://|url\(/' "$out/nhsuk/nhsuk-frontend.min.css"; then
  echo "vendor-assets: nhsuk-frontend CSS still references the internet or the site root" >&2
  exit 1
fi
cp "$src/nhsuk-frontend.min.js" "$out/nhsuk/"
# The minified files end in a sourceMappingURL comment: collectstatic's manifest storage
# follows it and fails if the map is missing, so the maps travel with them.
cp "$src/nhsuk-frontend.min.css.map" "$src/nhsuk-frontend.min.js.map" "$out/nhsuk/"
cp -r "$src/assets/images" "$out/nhsuk/assets/"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
cp node_modules/axe-core/axe.min.js "$out/axe-core/"
echo "vendor-assets: copied nhsuk-frontend $(node -p "require('nhsuk-frontend/package.json').version"), htmx $(node -p "require('htmx.org/package.json').version"), axe-core $(node -p "require('axe-core/package.json').version")"
