# Sourced by run.sh and test.sh: installs, from Debian's packages, the machine tools the project needs and does not
# find. Nothing is installed when everything is present, and `apt-get update` runs only before an install.

_apt_updated=0

apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if [ "$_apt_updated" = 0 ]; then
    echo "Installing $*: updating the package lists first" >&2
    $sudo apt-get update -qq
    _apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2
}

# PostgreSQL and Redis run from the machine's binaries (src/Jobs.Hosting.Local), never as system services.
ensure_servers() {
  local missing=()
  if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
    missing+=(redis-server)
  fi
  if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null && ! command -v postgres >/dev/null 2>&1; then
    # Debian would otherwise create and start a "main" cluster on port 5432 that nothing here uses.
    if [ "$(id -u)" -eq 0 ] && [ ! -f /etc/postgresql-common/createcluster.conf ]; then
      mkdir -p /etc/postgresql-common
      echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
    fi
    missing+=(postgresql)
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
}

# The end-to-end tests drive the UI in headless Chromium.
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
  fi
}
