#!/usr/bin/env bash
# Install the Debian packages the site needs, when missing and when this machine
# lets us (root and apt-get). Say clearly what is missing otherwise.
#
#   system-deps.sh test   what the test suite needs (make test): fails without them
#   system-deps.sh run    what the running site needs (make run): fast font
#                         subsetting and the fonts of certificates; without them
#                         the site still runs, and this says what it costs
set -u
mode=${1:-test}
case "$mode" in
  test) needed=(chromium libharfbuzz-subset0 poppler-utils fonts-noto-core zbar-tools qpdf gettext) ;;
  run) needed=(libharfbuzz-subset0 fonts-noto-core) ;;
  *) echo "usage: $0 [test|run]" >&2; exit 2 ;;
esac

# What follows when `make run` cannot install them: it serves anyway.
missing_exit() {
  if [ "$mode" = run ]; then
    echo "The site runs without them, but certificates render more than 10x slower" \
      "without libharfbuzz-subset0 (system check core.W001)." >&2
    exit 0
  fi
  exit 1
}

missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
# Node.js and npm run the browser tests' axe-core and Lighthouse
# (tests/browser/package.json). Checked as commands, not as packages: a machine
# may have them from elsewhere (NodeSource's nodejs carries npm).
if [ "$mode" = test ]; then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "System packages missing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing them with apt-get..."
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/tmp/lms-apt.log 2>&1; then
    echo "apt-get failed (see /tmp/lms-apt.log); ${missing[*]} not installed." >&2
    [ "$mode" = test ] && echo "Tests needing them will fail." >&2
    missing_exit
  fi
else
  echo "Not root or no apt-get: install them with" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  missing_exit
fi
