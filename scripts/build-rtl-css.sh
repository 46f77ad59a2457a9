#!/usr/bin/env bash
# Generate the right-to-left (Persian, Arabic) stylesheets from the left-to-right ones with rtlcss
# (needs Node's npm; run by a developer after scripts/update-govuk-frontend.sh or after editing
# static/css/app.css, never at run time; the outputs are committed). Usage: scripts/build-rtl-css.sh
#
#   static/govuk/govuk-frontend.min.css -> static/govuk/govuk-frontend.rtl.min.css
#   static/css/app.css                  -> static/css/app.rtl.css
#
# rtlcss is installed at a pinned version into a temporary folder, not into the repo. What rtlcss
# cannot mirror by itself (the details summary's clip-path triangle, the pagination SVG arrows,
# inputs that stay left-to-right) is in the hand-written static/css/rtl-fixes.css, loaded after
# these two on right-to-left pages.
set -euo pipefail
rtlcss_version=4.3.0
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm install --silent --no-save --no-audit --no-fund --ignore-scripts \
  --no-package-lock "rtlcss@$rtlcss_version" >/dev/null)
installed=$(node -p "require('$work/node_modules/rtlcss/package.json').version")
[ "$installed" = "$rtlcss_version" ] || { echo "got rtlcss $installed, wanted $rtlcss_version" >&2; exit 1; }
postcss_version=$(node -p "require('$work/node_modules/postcss/package.json').version")
# rtlcss's defaults, written out (and no "No config present" warning): flip left/right in
# properties and values, leave URLs and selectors alone, keep /*rtl:...*/ comments out of the output.
printf '{"autoRename": false, "clean": true, "processUrls": false, "processEnv": true}\n' > "$work/rtlcss.json"

mirror() {  # mirror SOURCE TARGET, both relative to the repo
  local src="$here/$1" out="$here/$2"
  [ -s "$src" ] || { echo "missing $1" >&2; exit 1; }
  "$work/node_modules/.bin/rtlcss" --silent -c "$work/rtlcss.json" "$src" "$work/out.css"
  [ -s "$work/out.css" ] || { echo "rtlcss produced nothing for $1" >&2; exit 1; }
  # The note goes after any @charset, which a browser only honours as the file's very first bytes.
  python3 - "$work/out.css" "$out" "$1" "rtlcss $rtlcss_version, postcss $postcss_version" <<'PY'
import re, sys
css = open(sys.argv[1], encoding="utf-8").read()
note = f"/* Generated from {sys.argv[3]} by scripts/build-rtl-css.sh ({sys.argv[4]}); do not edit. */\n"
charset = re.match(r'@charset "[^"]*";', css)
head = charset.group(0) if charset else ""
open(sys.argv[2], "w", encoding="utf-8").write(head + note + css[len(head):])
PY
  echo "$2 ($(wc -c < "$out") bytes)"
}
mirror static/govuk/govuk-frontend.min.css static/govuk/govuk-frontend.rtl.min.css
mirror static/css/app.css static/css/app.rtl.css
# A mirrored sheet still pointing an arrow the left-to-right way would show here as an unchanged rule.
grep -q 'govuk-back-link:before{[^}]*right:[^}]*rotate(-225deg)' "$here/static/govuk/govuk-frontend.rtl.min.css" \
  || { echo "the back link chevron was not mirrored as expected" >&2; exit 1; }
