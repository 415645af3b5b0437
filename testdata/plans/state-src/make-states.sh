#!/usr/bin/env bash
# Rebuild the committed terraform.tfstate inputs of the update/replace/delete cases.
#
# Usage: testdata/plans/state-src/make-states.sh [case ...]
#
# For each testdata/plans/state-src/<case>/ (the "before" configuration), this runs a
# create plan offline, then converts its planned_values into a v4 state file (unknown
# values filled with deterministic fake ids/ARNs/[] via state_from_plan.py, optional
# per-address overrides from <case>/overrides.json) and writes it to
# testdata/plans/<case>/terraform.tfstate. Afterwards run ../generate.sh <case>.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLANS="$(cd "${HERE}/.." && pwd)"
die() { echo "make-states.sh: error: $*" >&2; exit 1; }
command -v terraform >/dev/null 2>&1 || die "terraform not found on PATH"
command -v jq >/dev/null 2>&1 || die "jq not found on PATH"
command -v python3 >/dev/null 2>&1 || die "python3 not found on PATH"

export TF_CLI_CONFIG_FILE="${PLANS}/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
unset TF_DATA_DIR TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_plan TF_CLI_ARGS_show || true
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep '^TF_VAR_' || true)

cases=()
if [[ $# -gt 0 ]]; then
  for c in "$@"; do c="${c%/}"; cases+=("${c##*/}"); done
else
  for d in "${HERE}"/*/; do d="${d%/}"; cases+=("${d##*/}"); done
fi

WORK_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/costgate-states.XXXXXX")"
trap 'rm -rf "${WORK_ROOT}"' EXIT

for c in "${cases[@]}"; do
  src="${HERE}/${c}"
  [[ -d "${src}" ]] || die "no such state source: ${src}"
  [[ -d "${PLANS}/${c}" ]] || die "no such case dir: ${PLANS}/${c}"
  echo "==> ${c}"
  work="${WORK_ROOT}/${c}"; mkdir -p "${work}"; cp -R "${src}/." "${work}/"
  (
    cd "${work}"
    terraform init -input=false -no-color >log 2>&1
    terraform plan -input=false -refresh=false -lock=false -no-color -out=before.tfplan >>log 2>&1
    terraform show -json before.tfplan >before.json
    terraform providers schema -json >schema.json
  ) || { cat "${work}/log" >&2; die "terraform failed for ${c}"; }
  overrides=()
  [[ -f "${src}/overrides.json" ]] && overrides=("${src}/overrides.json")
  python3 "${HERE}/state_from_plan.py" "${work}/before.json" "${work}/schema.json" "${c}" "${overrides[@]}" \
    >"${PLANS}/${c}/terraform.tfstate"
  echo "    wrote ${PLANS}/${c}/terraform.tfstate"
done
