#!/usr/bin/env bash
# Grants the app's managed identity its Microsoft Graph application permissions with the Azure CLI, for tenants
# where graph-permissions.bicep cannot be used (no Graph Bicep extension, or the deployer may not grant permissions
# and an administrator does it separately). Does the same as graph-permissions.bicep; safe to run again.
#
# Usage:  infra/grant-graph-permissions.sh [PRINCIPAL_ID]
#   PRINCIPAL_ID  object id of the identity's service principal (main.bicep output AZURE_IDENTITY_PRINCIPAL_ID);
#                 read from the azd environment when omitted.
# Environment:
#   GRAPH_PERMISSIONS  space-separated app role values to grant instead of the default four.
#
# Needs: az (signed in with `az login` as Privileged Role Administrator or Global Administrator), and azd only when
# PRINCIPAL_ID is omitted. Not runnable on the build machines (no Azure access).
set -euo pipefail

GRAPH_APP_ID=00000003-0000-0000-c000-000000000000
read -r -a PERMISSIONS <<< "${GRAPH_PERMISSIONS:-Application.ReadWrite.OwnedBy Application.Read.All AppRoleAssignment.ReadWrite.All Synchronization.ReadWrite.All}"

principal_id="${1:-}"
if [[ -z "$principal_id" ]]; then
  if ! command -v azd >/dev/null 2>&1; then
    echo "Give the identity's principal id as the first argument (azd is not installed to look it up)." >&2
    exit 2
  fi
  principal_id="$(azd env get-value AZURE_IDENTITY_PRINCIPAL_ID)"
fi
if [[ ! "$principal_id" =~ ^[0-9a-fA-F-]{36}$ ]]; then
  echo "Not an object id: '$principal_id'." >&2
  exit 2
fi

# Graph's root in the signed-in cloud (https://graph.microsoft.com/ in the global cloud; others in national clouds).
graph_root="$(az cloud show --query endpoints.microsoftGraphResourceId -o tsv)"
graph="${graph_root%/}/v1.0"

graph_sp_id="$(az ad sp show --id "$GRAPH_APP_ID" --query id -o tsv)"
# What the identity already holds on Graph, so that a second run adds nothing twice (Graph would answer 400).
existing="$(az rest --method GET \
  --url "$graph/servicePrincipals/$principal_id/appRoleAssignments" \
  --query "value[?resourceId=='$graph_sp_id'].appRoleId" -o tsv)"

for permission in "${PERMISSIONS[@]}"; do
  # The application permission (app role) with this value on the tenant's Graph service principal.
  role_id="$(az ad sp show --id "$GRAPH_APP_ID" \
    --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)"
  if [[ -z "$role_id" ]]; then
    echo "Microsoft Graph has no application permission named $permission." >&2
    exit 1
  fi
  if grep -qix "$role_id" <<< "$existing"; then
    echo "$permission: already granted"
    continue
  fi
  az rest --method POST \
    --url "$graph/servicePrincipals/$principal_id/appRoleAssignments" \
    --headers "Content-Type=application/json" \
    --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$graph_sp_id\",\"appRoleId\":\"$role_id\"}" \
    --output none
  echo "$permission: granted"
done
