# Sourced by ./distgate and ./run-tests: makes sure a program is installed, installing its
# Debian package when running as root, and otherwise naming the command to run.
#   require <program or absolute path> <debian-package>
present() {
  case "$1" in
    /*) [ -x "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}
require() {
  local program="$1" package="$2"
  present "$program" && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "distgate: installing $package (for $program) ..." >&2
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >&2; then
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >&2
    fi
    present "$program" && return 0
  fi
  echo "distgate: '$program' is missing; install it with: sudo apt-get install -y $package" >&2
  exit 1
}
