#!/usr/bin/env bash
# Regenerate the Terraform plan JSON fixtures under testdata/plans/<case>/plan.json.
#
# Usage:
#   testdata/plans/generate.sh            # all cases
#   testdata/plans/generate.sh aws-update # one (or several) cases
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_kms_key   # a family fixture
#
# Each case directory holds the .tf files, optional terraform.tfvars and an optional
# hand-written terraform.tfstate (input for update/replace/delete cases). The case is
# copied to a temporary directory, where we run
#   terraform init && terraform plan -refresh=false -out=plan.tfplan && terraform show -json plan.tfplan
# so no .terraform/, lock file or plan file is ever left in the case directory, and the
# committed state file is never modified. -refresh=false is required because refresh would
# call AWS APIs; with it, planning is fully offline (dummy credentials, provider from the
# filesystem mirror configured in ./terraformrc).
#
# The output is normalised (timestamp) and pretty-printed with jq, so regeneration is
# idempotent: re-running with the same Terraform/provider versions yields identical files.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Where the case directories are (testdata/plans, or testdata/families for family fixtures).
CASES="$(cd "${CASES_DIR:-${HERE}}" && pwd)"
EXPECTED_TF_VERSION="1.11.4"
FIXED_TIMESTAMP="2026-01-01T00:00:00Z"

die() { echo "generate.sh: error: $*" >&2; exit 1; }

command -v terraform >/dev/null 2>&1 \
  || die "terraform not found on PATH (expected Terraform ${EXPECTED_TF_VERSION}); cannot regenerate fixtures"
command -v jq >/dev/null 2>&1 || die "jq not found on PATH (needed to normalise plan JSON)"

export TF_CLI_CONFIG_FILE="${HERE}/terraformrc"
export TF_IN_AUTOMATION=1
export CHECKPOINT_DISABLE=1
# Make sure nothing from the caller's environment leaks into the plans.
unset TF_DATA_DIR TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_plan TF_CLI_ARGS_show TF_PLUGIN_CACHE_DIR || true
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep '^TF_VAR_' || true)

tf_version="$(terraform version -json | jq -r '.terraform_version')"
if [[ "${tf_version}" != "${EXPECTED_TF_VERSION}" ]]; then
  echo "generate.sh: warning: terraform ${tf_version} found, fixtures were made with ${EXPECTED_TF_VERSION}; expect diffs" >&2
fi

# Case list: arguments, or every sub-directory containing .tf files.
cases=()
if [[ $# -gt 0 ]]; then
  for c in "$@"; do
    c="${c%/}"; c="${c##*/}"
    [[ -d "${CASES}/${c}" ]] || die "no such case: ${c} (expected directory ${CASES}/${c})"
    cases+=("${c}")
  done
else
  for d in "${CASES}"/*/; do
    d="${d%/}"
    compgen -G "${d}/*.tf" >/dev/null && cases+=("${d##*/}")
  done
fi
[[ ${#cases[@]} -gt 0 ]] || die "no cases found in ${CASES}"

WORK_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/costgate-plans.XXXXXX")"
cleanup() { rm -rf "${WORK_ROOT}"; }
trap cleanup EXIT

summary() {
  # address <TAB> actions [<TAB> action_reason]
  jq -r '.resource_changes[]? | [.address + (if .deposed then " (deposed " + .deposed + ")" else "" end),
          (.change.actions | join(",")), (.action_reason // "")] | @tsv' "$1"
}

generate_case() {
  local name="$1" src="${CASES}/$1" work="${WORK_ROOT}/$1" log
  log="${WORK_ROOT}/$1.log"
  echo "==> ${name}"
  mkdir -p "${work}"
  cp -R "${src}/." "${work}/"
  rm -rf "${work}/.terraform" "${work}/.terraform.lock.hcl" "${work}/plan.json" "${work}"/*.tfplan

  (
    cd "${work}"
    terraform init -input=false -no-color >"${log}" 2>&1
    terraform plan -input=false -refresh=false -lock=false -no-color -out=plan.tfplan >>"${log}" 2>&1
    terraform show -json plan.tfplan >plan.raw.json 2>>"${log}"
  ) || { cat "${log}" >&2; die "terraform failed for case ${name} (log above)"; }

  # Normalise churn: the timestamp, plus two arrays whose order Terraform does not keep
  # stable between runs with nested module instances (observed): relevant_attributes and
  # the child_modules lists of planned_values / prior_state (sorted by address).
  jq --arg ts "${FIXED_TIMESTAMP}" '
      .timestamp = $ts
      | walk(if type == "object" and (.child_modules | type) == "array"
             then .child_modules |= sort_by(.address) else . end)
      | if has("relevant_attributes") then
          .relevant_attributes |= sort_by(.resource, (.attribute | tojson))
        else . end
    ' "${work}/plan.raw.json" >"${work}/plan.pretty.json" \
    || die "jq failed to normalise plan for case ${name}"
  if [[ "$(jq -r '.errored' "${work}/plan.pretty.json")" != "false" ]]; then
    die "plan for case ${name} is marked errored"
  fi
  mv "${work}/plan.pretty.json" "${src}/plan.json"
  summary "${src}/plan.json" | sed 's/^/    /'
}

for c in "${cases[@]}"; do
  generate_case "${c}"
done
echo "done: ${#cases[@]} case(s)"
