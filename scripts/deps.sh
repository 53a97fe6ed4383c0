#!/bin/sh
# Install the Debian packages kesu needs to build, test and benchmark, when
# any is missing. Nothing is fetched from anywhere but Debian (and, for the
# web front end only, the npm registry).
set -eu

PKGS="build-essential pkg-config clang libclang-rt-14-dev libmicrohttpd-dev libjansson-dev
libsqlite3-dev sqlite3 libsodium-dev libcmocka-dev libcurl4-openssl-dev libical-dev nodejs wrk
valgrind chromium fonts-noto-cjk"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# npm comes with some builds of nodejs and as its own package with Debian's
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
