// Microsoft Graph application permissions for the app's managed identity, as app role assignments on the Microsoft
// Graph service principal. Deployed as a module of main.bicep (grantGraphPermissions), or alone:
//   az deployment group create -g <rg> -f infra/graph-permissions.bicep -p principalId=<identity principal id>
//
// The deployer needs to be allowed to grant Graph application permissions: Privileged Role Administrator or Global
// Administrator in Entra ID (Graph: AppRoleAssignment.ReadWrite.All and Application.Read.All). Where that is not
// possible, or the extension cannot be used, an administrator runs grant-graph-permissions.sh instead.
//
// Permission changes can take a while to show in the identity's tokens: managed identity tokens are cached for up
// to about 24 hours.
extension microsoftGraphV1

@description('Object id of the managed identity\'s service principal (the identity\'s principalId).')
param principalId string

// What the steps need (shared/REFERENCE.md "Permissions"):
// - Application.ReadWrite.OwnedBy: instantiate the non-gallery template, then manage the apps the identity owns.
// - Application.Read.All: find applications and service principals by name and read app roles.
// - AppRoleAssignment.ReadWrite.All: assign groups and users to the new enterprise app (appRoleAssignedTo).
// - Synchronization.ReadWrite.All: create the SCIM job, save its secrets, test the connection, start it.
// If instantiating a template turns out not to make the identity an owner of the app, OwnedBy is not enough and
// Application.ReadWrite.All replaces it: pass the list in this parameter.
@description('Graph application permissions (app role values) to grant.')
param permissions array = [
  'Application.ReadWrite.OwnedBy'
  'Application.Read.All'
  'AppRoleAssignment.ReadWrite.All'
  'Synchronization.ReadWrite.All'
]

// Microsoft Graph's well-known application id, the same in every tenant.
var graphAppId = '00000003-0000-0000-c000-000000000000'

resource graph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: graphAppId
}

// App role ids are looked up by value on the tenant's Graph service principal rather than written down, so a
// misspelt permission fails the deployment instead of granting something else.
resource grants 'Microsoft.Graph/appRoleAssignedTo@v1.0' = [for permission in permissions: {
  principalId: principalId
  resourceId: graph.id
  appRoleId: filter(graph.appRoles, role => role.value == permission)[0].id
}]

output grantedPermissions array = permissions
