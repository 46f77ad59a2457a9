#!/bin/sh
# Installs a Debian package the tests or the benchmarks use, where it is missing and this
# machine can (root and apt-get); otherwise says what will happen without it. Never fails:
# the make targets go on either way.
#
#   scripts/debian-package.sh COMMAND PACKAGE "WHAT IT IS FOR" "WHAT HAPPENS WITHOUT IT"
command="$1" package="$2" purpose="$3" without="$4"
command -v "$command" >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's $package for $purpose..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null) \
    || echo "!!! Could not install $package: $without !!!"
else
  echo "!!! $package is not installed and cannot be installed here (need root + apt-get): $without !!!"
fi
exit 0
