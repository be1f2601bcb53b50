# Shared by the bench/*/run.sh scripts (sourced, not run).

# Installs from Debian's packages what the machine lacks: each argument is "test:package", where
# test is a command name or an absolute path that must exist. A bare machine then runs any bench.
install_missing() {
  local need=() pair test package
  for pair in "$@"; do
    test=${pair%%:*} package=${pair#*:}
    if [[ $test == /* ]]; then [ -e "$test" ] && continue; else command -v "$test" >/dev/null 2>&1 && continue; fi
    need+=("$package")
  done
  [ ${#need[@]} -gt 0 ] || return 0
  echo "== Installing ${need[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}
