#!/usr/bin/env bash
# Makes `cota-host` a command: packs boards/host as a .NET tool and installs it for this user
# (dotnet tool install --global). Run it again after changing the code.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_NOLOGO=1
out=artifacts/tool
rm -rf "$out"
echo "building the cota-host tool (the first build takes about a minute)..."
dotnet pack boards/host -c Release -o "$out" -v quiet -nologo
dotnet tool uninstall --global cota-host >/dev/null 2>&1 || true
# dotnet's own install message repeats ours and gives its own PATH advice: show it only when the install fails.
if ! log=$(dotnet tool install --global --add-source "$out" cota-host 2>&1); then
  echo "$log" >&2
  exit 1
fi
tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
case ":$PATH:" in
  *":$tools:"*) echo "cota-host is installed: cota-host --help" ;;
  *) echo "cota-host is installed in $tools, which is not on PATH: add it, e.g."
     echo "  export PATH=\"\$PATH:$tools\"" ;;
esac
