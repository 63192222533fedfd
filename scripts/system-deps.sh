#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when missing and when this
# machine lets us (root and apt-get). Say clearly what is missing otherwise.
set -u
needed=(chromium libharfbuzz-subset0 poppler-utils fonts-noto-core zbar-tools qpdf gettext)
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "System packages missing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing them with apt-get..."
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/tmp/lms-apt.log 2>&1; then
    echo "apt-get failed (see /tmp/lms-apt.log); tests needing ${missing[*]} will fail." >&2
    exit 1
  fi
else
  echo "Not root or no apt-get: install them with" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
