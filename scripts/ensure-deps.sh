# Sourced by the npm scripts: installs what is missing, and only that.
#   ensure_node_modules          npm ci when node_modules is absent or older than the lock file
#   ensure_apt CMD:PKG ...       apt-get install PKG when command CMD is missing (root, or sudo)
#   ensure_built                 builds dist/ when a source is newer than it

ensure_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing node packages (npm ci)..." >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
}

ensure_apt() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Missing packages: ${missing[*]}. Install them as root: apt-get install -y ${missing[*]}" >&2
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing: ${missing[*]}, and there is no apt-get here. Install them with your package manager." >&2
    return 1
  fi
  echo "Installing ${missing[*]} (apt-get)..." >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_built() {
  if [ ! -f dist/cli.cjs ] || [ -n "$(find src package.json tsup.config.ts -newer dist/cli.cjs -print -quit 2>/dev/null)" ]; then
    echo "Building (tsup)..." >&2
    rm -rf dist && npx tsup --silent >&2
  fi
}
