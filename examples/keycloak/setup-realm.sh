#!/usr/bin/env bash
# Creates a Keycloak realm for modelwire with Keycloak's admin CLI (kcadm.sh): the gateway client and its
# model roles, the contract's OAuth scopes, an audience scope, and one service client allowed to call the models.
#
#   KEYCLOAK_HOME=~/keycloak-26.7.3 KEYCLOAK_ADMIN=admin KEYCLOAK_ADMIN_PASSWORD=... ./setup-realm.sh
#
# It only creates: if the realm already exists it stops at the first step, changing nothing.
set -euo pipefail

KEYCLOAK_URL="${KEYCLOAK_URL:-http://localhost:8080}"
KEYCLOAK_ADMIN="${KEYCLOAK_ADMIN:?set KEYCLOAK_ADMIN (an admin user of realm master)}"
KEYCLOAK_ADMIN_PASSWORD="${KEYCLOAK_ADMIN_PASSWORD:?set KEYCLOAK_ADMIN_PASSWORD}"
REALM="${REALM:-ml}"
SERVICE_CLIENT="${SERVICE_CLIENT:-orders}"
MODELS="${MODELS:-fraud-score fraud-score-backup sentiment}"
PUBLIC_JWKS_FILE="${PUBLIC_JWKS_FILE:-}"   # set: private_key_jwt with these public keys; unset: client secret
KCADM="${KCADM:-${KEYCLOAK_HOME:+$KEYCLOAK_HOME/bin/}kcadm.sh}"

GATEWAY=modelwire-gateway   # the gateway's audience (mock server: --audience modelwire-gateway)
SCOPES="models:read models:predict jobs:read jobs:write feedback:write"   # openapi/modelwire.yaml, oauth2

# Check the key file before changing anything. The signing algorithm follows the key type.
if [[ -n "$PUBLIC_JWKS_FILE" ]]; then
  jwks="$(tr -d '\n' < "$PUBLIC_JWKS_FILE")"
  if grep -q '"d" *:' <<<"$jwks"; then echo "$PUBLIC_JWKS_FILE holds a private key; give Keycloak the public JWKS only" >&2; exit 1; fi
  if grep -q '"kty" *: *"EC"' <<<"$jwks"; then alg=ES256
  elif grep -q '"kty" *: *"RSA"' <<<"$jwks"; then alg=RS256
  else echo "$PUBLIC_JWKS_FILE holds no RSA or EC key" >&2; exit 1
  fi
fi

# A private kcadm config (it holds the admin session), removed on exit.
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
kcadm() { "$KCADM" "$@" --config "$workdir/kcadm.config"; }

# The password goes through the environment, not the command line (visible in `ps`).
KC_CLI_PASSWORD="$KEYCLOAK_ADMIN_PASSWORD" \
  kcadm config credentials --server "$KEYCLOAK_URL" --realm master --user "$KEYCLOAK_ADMIN"

echo "Creating realm $REALM"
kcadm create realms -s realm="$REALM" -s enabled=true || {
  echo "Could not create realm $REALM. If it exists, delete it (kcadm.sh delete realms/$REALM) or pick another REALM." >&2
  exit 1
}

# The gateway is a resource server: nobody logs in as it (no flows), it owns the roles and is the token audience.
echo "Creating client $GATEWAY with a role per model: $MODELS"
gateway_id="$(kcadm create clients -r "$REALM" -i -s clientId="$GATEWAY" -s publicClient=false \
  -s standardFlowEnabled=false -s directAccessGrantsEnabled=false -s serviceAccountsEnabled=false)"
for model in $MODELS; do
  kcadm create "clients/$gateway_id/roles" -r "$REALM" -s name="$model" -s description="May call model $model"
done

# Tokens must carry aud=modelwire-gateway; Keycloak only adds a client to `aud` through an audience mapper.
echo "Creating client scope modelwire-audience"
audience_scope_id="$(kcadm create client-scopes -r "$REALM" -i -f - <<JSON
{
  "name": "modelwire-audience",
  "protocol": "openid-connect",
  "attributes": { "include.in.token.scope": "false", "display.on.consent.screen": "false" },
  "protocolMappers": [{
    "name": "$GATEWAY-audience",
    "protocol": "openid-connect",
    "protocolMapper": "oidc-audience-mapper",
    "config": { "included.client.audience": "$GATEWAY", "access.token.claim": "true",
                "id.token.claim": "false", "introspection.token.claim": "true" }
  }]
}
JSON
)"

# include.in.token.scope: a granted scope shows up in the token's `scope` claim, which the gateway checks.
echo "Creating client scopes $SCOPES"
scope_ids=()
for scope in $SCOPES; do
  scope_ids+=("$(kcadm create client-scopes -r "$REALM" -i -s name="$scope" -s protocol=openid-connect \
    -s 'attributes."include.in.token.scope"=true' -s 'attributes."display.on.consent.screen"=false')")
done

# A confidential client with only the client_credentials grant (service account); no browser or password flows.
client_settings=(-s clientId="$SERVICE_CLIENT" -s publicClient=false -s serviceAccountsEnabled=true
  -s standardFlowEnabled=false -s directAccessGrantsEnabled=false)
if [[ -n "$PUBLIC_JWKS_FILE" ]]; then
  # private_key_jwt: Keycloak checks each client assertion against these public keys (matched by kid).
  # kcadm parses a value that looks like JSON; jwks.string must stay a string, so pass it as a quoted JSON string.
  client_settings+=(-s clientAuthenticatorType=client-jwt
    -s 'attributes."token.endpoint.auth.signing.alg"='"$alg"
    -s 'attributes."use.jwks.string"=true'
    -s 'attributes."jwks.string"="'"${jwks//\"/\\\"}"'"')
  auth="private_key_jwt ($alg, keys from $PUBLIC_JWKS_FILE)"
else
  client_settings+=(-s clientAuthenticatorType=client-secret)   # Keycloak generates the secret
  auth="client_secret_post or client_secret_basic"
fi
echo "Creating service client $SERVICE_CLIENT ($auth)"
client_id="$(kcadm create clients -r "$REALM" -i "${client_settings[@]}")"

# Scopes are attached after creation: listing them in the create call would replace the realm's default
# scopes (basic, roles, ...), and without `roles` the token has no resource_access.
# Default scope: always in the token. Optional scopes: only when the client asks (scope=models:predict).
kcadm update "clients/$client_id/default-client-scopes/$audience_scope_id" -r "$REALM"
for scope_id in "${scope_ids[@]}"; do
  kcadm update "clients/$client_id/optional-client-scopes/$scope_id" -r "$REALM"
done

# The service account is the user behind client_credentials tokens; its gateway roles land in
# resource_access["modelwire-gateway"].roles, which the gateway maps to models.
role_args=()
for model in $MODELS; do role_args+=(--rolename "$model"); done
service_account="service-account-$(tr '[:upper:]' '[:lower:]' <<<"$SERVICE_CLIENT")"   # usernames are lower case
echo "Granting $service_account the roles $MODELS"
kcadm add-roles -r "$REALM" --uusername "$service_account" --cclientid "$GATEWAY" "${role_args[@]}"

echo
echo "Realm $REALM is ready."
echo "  issuer:        $KEYCLOAK_URL/realms/$REALM"
echo "  token URL:     $KEYCLOAK_URL/realms/$REALM/protocol/openid-connect/token"
echo "  client id:     $SERVICE_CLIENT"
echo "  auth method:   $auth"
if [[ -z "$PUBLIC_JWKS_FILE" ]]; then
  # The one secret this script prints, on purpose: store it in your secret manager.
  echo "  client secret: $(kcadm get "clients/$client_id/client-secret" -r "$REALM" --fields value --format csv --noquotes)"
fi
