#!/usr/bin/env bash
# GOV.UK Frontend's compiled assets (CSS, JS, fonts, images) from the npm registry into
# api/web/static/ (git-ignored), served at /assets. The version matches the Jinja
# macros of govuk-frontend-jinja (pyproject.toml), which are written for it.
set -euo pipefail
VERSION=6.3.0
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack "govuk-frontend@$VERSION" --pack-destination "$work" --silent >/dev/null
tar xzf "$work/govuk-frontend-$VERSION.tgz" -C "$work"
rm -rf static.new && mkdir static.new
cp -r "$work/package/dist/govuk/assets/." static.new/
cp "$work/package/dist/govuk/govuk-frontend.min.css" "$work/package/dist/govuk/govuk-frontend.min.js" static.new/
echo "$VERSION" > static.new/VERSION
rm -rf static && mv static.new static
