// Read access for the app's identity to one existing Key Vault whose secrets may hold SCIM tokens
// (app setting SCIM_TOKEN_KEY_VAULTS). Deployed into the vault's resource group by main.bicep, once per vault.
// The vault must use RBAC authorisation (enableRbacAuthorization): with access policies the role has no effect.

@description('Name of the existing Key Vault.')
param vaultName string

@description('Object id of the app\'s managed identity.')
param principalId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

// Key Vault Secrets User on this vault only: read secret values, nothing else, nowhere else.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
