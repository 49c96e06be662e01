#!/usr/bin/env bash
# Installs the Debian packages named (apt-get, without recommends; sudo when not root). Its output
# goes to stderr, so a script whose stdout is a result (.ci/glibc-sysroot.sh prints a path) can call it.
set -euo pipefail
[ $# -gt 0 ] || exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
{
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
} >&2
