#!/usr/bin/env bash
# The composite action's gate: fail the job on the findings the check step counted (after the
# annotations, summary and comment are written). Counts that are not numbers fail closed.
set -uo pipefail

deny="${CG_DENY:-}" warn="${CG_WARN:-}"
if ! [[ "$deny" =~ ^[0-9]+$ && "$warn" =~ ^[0-9]+$ ]]; then
  echo "::error title=costgate::no finding counts from the check step; failing closed"
  exit 2
fi
case "${CG_FAIL_ON:-deny}" in
  never) exit 0 ;;
  warn) [[ $((deny + warn)) -eq 0 ]] || { echo "costgate: $deny deny, $warn warn finding(s)"; exit 1; } ;;
  deny) [[ "$deny" -eq 0 ]] || { echo "costgate: $deny deny finding(s) block this change"; exit 1; } ;;
  *) echo "::error title=costgate::fail-on must be deny, warn or never"; exit 2 ;;
esac
