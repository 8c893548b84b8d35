#!/usr/bin/env bash
# The README's walkthrough, runnable: a schema, a record that uses it, a change on a branch,
# its impact, a merge, and the history. Needs curl and jq and a running Refinery.
#
#   ./refinery serve &                 # in another terminal
#   docs/walkthrough.sh                # or: REFINERY_URL=http://127.0.0.1:8080 docs/walkthrough.sh
#
# With auth.mode=token, set REFINERY_TOKEN to a token with read and write scopes.
# Exits non-zero at the first answer that is not what the walkthrough expects.
set -euo pipefail
URL="${REFINERY_URL:-http://127.0.0.1:8080}"
AUTH=()
[ -n "${REFINERY_TOKEN:-}" ] && AUTH=(-H "Authorization: Bearer $REFINERY_TOKEN")
RUN="${WALKTHROUGH_RUN:-$(date +%s%N)}"        # a fresh namespace, so the walkthrough can run again
ADDRESS="walkthrough/$RUN/schemas/address"
ADA="walkthrough/$RUN/people/ada"
BRANCH="walkthrough-$RUN"

step() { printf '\n== %s\n' "$*"; }
fail() { echo "walkthrough: $*" >&2; exit 1; }
# call METHOD PATH [BODY] -> prints the body; checks the status against $EXPECT (default 2xx)
call() {
  local method="$1" path="$2" body="${3:-}" out status
  out="$(mktemp)"
  if [ -n "$body" ]; then
    status="$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "${AUTH[@]}" -H 'Content-Type: application/json' \
      --data-binary "$body" "$URL$path")"
  else
    status="$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "${AUTH[@]}" "$URL$path")"
  fi
  local expect="${EXPECT:-2..}"
  [[ "$status" =~ ^$expect$ ]] || { cat "$out" >&2; rm -f "$out"; fail "$method $path answered $status, expected $expect"; }
  cat "$out"; rm -f "$out"
}
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; echo "ok: $3 = $1"; }

step "1. A schema for addresses"
r="$(call POST /v1/refinements "{\"branch\":\"main\",\"message\":\"address schema\",\"vibes\":[{\"id\":\"$ADDRESS\",\"kind\":\"RECORD\",
  \"schema\":{\"type\":\"object\",\"required\":[\"city\"],\"properties\":{\"city\":{\"type\":\"string\"},\"zip\":{\"type\":\"string\"}}},
  \"solution\":{\"city\":\"Example\"}}]}")"
expect_eq "$(jq -r '.vibes[0].ref' <<<"$r")" "main@$ADDRESS?1" "the schema's ref"

step "2. A record whose schema references it with a floating aug: reference"
r="$(call POST /v1/refinements "{\"branch\":\"main\",\"message\":\"Ada\",\"vibes\":[{\"id\":\"$ADA\",\"kind\":\"RECORD\",
  \"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"address\":{\"\$ref\":\"aug:/$ADDRESS\"}}},
  \"solution\":{\"name\":\"Ada\",\"address\":{\"city\":\"London\",\"zip\":\"NW1\"}}}]}")"
expect_eq "$(jq -r '.vibes[0].schema.properties.address["$refResolved"]' <<<"$r")" "main@$ADDRESS?1" "the stamped reference"
expect_eq "$(EXPECT=200 call GET "/v1/schemas/$ADA?branch=main&mode=bundled" | jq -r '.schema.properties.address["$ref"]')" \
  "#/\$defs/main@$(sed 's#/#~1#g' <<<"$ADDRESS")?1" "the bundled view's reference"

step "3. An invalid record is refused with a JSON pointer"
r="$(EXPECT=422 call POST /v1/refinements "{\"branch\":\"main\",\"vibes\":[{\"id\":\"$ADA\",\"kind\":\"RECORD\",
  \"schema\":{\"\$ref\":\"aug:/$ADDRESS\"},\"solution\":{\"zip\":\"NW1\"}}]}")"
expect_eq "$(jq -r '.errors[0].pointer' <<<"$r")" "/vibes/0/solution" "the error's pointer"

step "4. A branch, and a stricter address schema on it"
EXPECT=201 call POST /v1/branches "{\"name\":\"$BRANCH\",\"from\":\"main\"}" >/dev/null
body="{\"branch\":\"$BRANCH\",\"message\":\"zip is required\",VIBES}"
vibes="\"vibes\":[{\"id\":\"$ADDRESS\",\"kind\":\"RECORD\",\"schema\":{\"type\":\"object\",\"required\":[\"city\",\"zip\"],
  \"properties\":{\"city\":{\"type\":\"string\"},\"zip\":{\"type\":\"string\",\"pattern\":\"^[0-9]+\$\"}}},\"solution\":{\"city\":\"Example\",\"zip\":\"1\"}}]"
preview="$(call POST /v1/refinements "${body/VIBES/\"dryRun\":true,$vibes}")"
expect_eq "$(jq -r '.impact[0].dependents[0].ref' <<<"$preview")" "main@$ADA?1" "the dry run finds the dependent"
expect_eq "$(jq -r '.impact[0].dependents[0].stillValid' <<<"$preview")" "false" "whose zip would no longer validate"
r="$(EXPECT=201 call POST /v1/refinements "${body/VIBES/$vibes}")"
expect_eq "$(jq -r '.vibes[0].ref' <<<"$r")" "$BRANCH@$ADDRESS?2" "the branch's revision"

step "5. What breaks if the address schema changes? (impact on the branch)"
r="$(call GET "/v1/impact/$ADDRESS?branch=$BRANCH")"
expect_eq "$(jq -r '.items[0].ref' <<<"$r")" "main@$ADA?1" "the impacted head"
expect_eq "$(jq -r '.items[0].floating' <<<"$r")" "true" "it follows the schema (floating)"

step "6. Merge the branch into main (a fast-forward: main did not change the schema)"
r="$(EXPECT=201 call POST /v1/merges "{\"source\":\"$BRANCH\",\"target\":\"main\",\"message\":\"stricter addresses\"}")"
expect_eq "$(jq -r '.fastForwarded[0]' <<<"$r")" "$BRANCH@$ADDRESS?2" "the fast-forwarded revision"
expect_eq "$(call GET "/v1/vibes/$ADDRESS?branch=main" | jq -r '.ref')" "$BRANCH@$ADDRESS?2" "main's head now"

step "7. History of the address schema on main, newest first"
r="$(call GET "/v1/history/$ADDRESS?branch=main")"
expect_eq "$(jq -r '[.items[].revision] | map(tostring) | join(",")' <<<"$r")" "2,1" "the revisions"

printf '\nwalkthrough: all steps passed against %s\n' "$URL"
