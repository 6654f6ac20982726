# Sourced by ./distgate, ./run-tests and bench/run: makes sure a program is installed, installing
# its Debian package when running as root, and otherwise naming the command to run.
#   require <program or absolute path> <debian-package>
#   require_that <what> <debian-package> <command...>   for what is not a program (an Erlang
#                                                       application, say): present when the command succeeds
present() {
  case "$1" in
    /*) [ -x "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}
install_package() {
  local package="$1" what="$2"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "distgate: installing $package (for $what) ..." >&2
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >&2; then
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >&2
    fi
  fi
}
require() {
  local program="$1" package="$2"
  present "$program" && return 0
  install_package "$package" "$program"
  present "$program" && return 0
  echo "distgate: '$program' is missing; install it with: sudo apt-get install -y $package" >&2
  exit 1
}
require_that() {
  local what="$1" package="$2"
  shift 2
  "$@" >/dev/null 2>&1 && return 0
  install_package "$package" "$what"
  "$@" >/dev/null 2>&1 && return 0
  echo "distgate: $what is missing; install it with: sudo apt-get install -y $package" >&2
  exit 1
}
