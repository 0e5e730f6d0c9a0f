#!/usr/bin/env bash
# Writes domain/cldr/: the CLDR data Kring compiles in (month and weekday names, zone
# identifiers and cities) for its four languages only, as ICU4X baked data.
#
# Run it after changing ICU4X's minor version in domain/Cargo.toml (the data is tied to it) or
# to take a newer CLDR. Sources, all from package registries:
# - icu4x-datagen from crates.io, at the version domain/Cargo.toml uses;
# - CLDR's JSON from npm (the cldr-* packages, the same files as CLDR's GitHub releases);
# - the IANA tz source that icu_provider_source ships in its crate (datagen reads it to tell
#   zones from links).
set -euo pipefail
cd "$(dirname "$0")/.."

ICU4X_VERSION=2.4.0
CLDR_VERSION=48.2.0
LOCALES=(@und @en-GB @es @de @nl)
MARKERS=(
  DatetimeNamesMonthGregorianV1
  DatetimeNamesWeekdayV1
  DecimalSymbolsV1
  DecimalDigitsV1
  TimezoneIdentifiersIanaCoreV1
  TimezoneNamesCitiesOverrideV1
  TimezoneNamesCitiesRootV1
  TimezoneNamesLocationsOverrideV1
  TimezoneNamesLocationsRootV1
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

datagen="${ICU4X_DATAGEN:-$HOME/.cargo/bin/icu4x-datagen}"
if ! "$datagen" --version 2>/dev/null | grep -q "$ICU4X_VERSION"; then
  cargo install icu4x-datagen --version "$ICU4X_VERSION" --no-default-features \
    --features provider,baked_exporter
fi

for package in cldr-core cldr-bcp47 cldr-dates-full cldr-numbers-full cldr-misc-full \
  cldr-units-full cldr-localenames-full; do
  (cd "$work" && npm pack --silent "$package@$CLDR_VERSION" >/dev/null)
  mkdir -p "$work/cldr/$package"
  tar xzf "$work/$package-$CLDR_VERSION.tgz" -C "$work/cldr/$package" --strip-components=1
done

# ICU4X 2.4 reads a field CLDR 49 added (`intervalFormatRanges`) and does not use it; CLDR 48's
# files lack it, so give them an empty one.
node -e '
  const fs = require("fs"), path = require("path");
  const main = path.join(process.argv[1], "cldr/cldr-dates-full/main");
  for (const locale of fs.readdirSync(main)) {
    for (const file of ["ca-gregorian.json", "ca-generic.json"]) {
      const name = path.join(main, locale, file);
      if (!fs.existsSync(name)) continue;
      const json = JSON.parse(fs.readFileSync(name, "utf8"));
      for (const calendar of Object.values(json.main[locale].dates.calendars)) {
        calendar.dateTimeFormats.intervalFormats.intervalFormatRanges ??= {};
      }
      fs.writeFileSync(name, JSON.stringify(json));
    }
  }' "$work"

tzdb="$(find "$HOME/.cargo/registry/src" -maxdepth 5 -type d \
  -path "*/icu_provider_source-$ICU4X_VERSION/tests/data/tzdb" | head -n 1)"
[ -n "$tzdb" ] || { echo "icu_provider_source $ICU4X_VERSION's tz source is missing" >&2; exit 1; }

"$datagen" --cldr-root "$work/cldr" --tzdb-root "$tzdb" --format baked --use-separate-crates \
  --pretty --deduplication none --no-internal-fallback --locales "${LOCALES[@]}" \
  --markers "${MARKERS[@]}" --overwrite --out domain/cldr
du -sh domain/cldr
