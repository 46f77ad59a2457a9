#!/usr/bin/env bash
# Vendor a compiled GOV.UK Frontend release into static/govuk/ (needs Node's npm; run by a
# developer, never at run time). Usage: scripts/update-govuk-frontend.sh 5.14.0
#
# This is a council service, not GOV.UK: the GDS Transport typeface and the crown are for GOV.UK
# only, so the font faces are dropped, Arial is used instead, and the crest image is removed.
set -euo pipefail
version=${1:?usage: $0 VERSION (a 5.x release)}
case "$version" in 5.*) ;; *) echo "only 5.x releases are supported" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@$version" >/dev/null && tar xzf govuk-frontend-*.tgz)
dist="$work/package/dist/govuk"
out="$here/static/govuk"
rm -rf "$out" && mkdir -p "$out"
cp "$dist/govuk-frontend.min.js" "$out/"
python3 - "$dist/govuk-frontend.min.css" "$out/govuk-frontend.min.css" <<'PY'
import re, sys
css = open(sys.argv[1], encoding="utf-8").read()
css = re.sub(r"@font-face\{[^}]*\}", "", css)
css = css.replace("font-family:GDS Transport,arial,sans-serif", "font-family:arial,sans-serif")
css = css.replace("url(/assets/images/govuk-crest.svg)", "none")
css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
assert "GDS Transport,arial" not in css and "/assets/" not in css, "unexpected asset reference left"
open(sys.argv[2], "w", encoding="utf-8").write(css)
PY
sed -i 's|//# sourceMappingURL=.*||' "$out/govuk-frontend.min.js"
printf "GOV.UK Frontend is released under the MIT licence, (c) Crown copyright.\nSee https://github.com/alphagov/govuk-frontend/blob/main/LICENSE.txt\n" > "$out/LICENSE"
printf 'govuk-frontend %s (npm), compiled dist; updated by scripts/update-govuk-frontend.sh on %s\n' \
  "$version" "$(date -u +%Y-%m-%d)" > "$out/VERSION"
echo "static/govuk now holds govuk-frontend $version"
