#!/usr/bin/env bash
# Packs CSharpBpf (library, generator, build targets), the csbpf tool and the dotnet new templates into artifacts/packages, where the samples'
# nuget.config looks, and drops any copy of CSharpBpf cached by an earlier restore so the new one is used.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet pack src/CSharpBpf -c Release -o artifacts/packages
dotnet pack src/CSharpBpf.Cli -c Release -o artifacts/packages
dotnet pack templates -c Release -o artifacts/packages
cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
rm -rf "$cache/csharpbpf"
