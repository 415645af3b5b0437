#!/usr/bin/env bash
# The composite action's comment step: posts (or updates) the sticky PR comment from the body
# file the check step wrote. The only step given the token; it reads no file of the PR except
# that finished Markdown, which it sends as it is (cut to GitHub's size limit).
set -uo pipefail

cargs=(comment github --body-file "$CG_BODY_FILE" --behavior "${CG_COMMENT_BEHAVIOR:-update}" --token-env CG_TOKEN)
[[ -n "${CG_COMMENT_KEY:-}" ]] && cargs+=(--key "$CG_COMMENT_KEY")
[[ -n "${CG_COMMENT_AUTHOR:-}" ]] && cargs+=(--author "$CG_COMMENT_AUTHOR")
costgate "${cargs[@]}" || echo "::warning title=costgate::could not update the PR comment (see the log)"
exit 0
