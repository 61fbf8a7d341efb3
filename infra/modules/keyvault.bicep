// Key Vault for the app's long-lived secrets: the Cloudflare API token that mints per-account SCIM tokens, and the
// key that signs outcome callbacks. RBAC authorisation (no access policies); the app reads both through Key Vault
// references in its settings.

@description('Region.')
param location string

@description('Tags for every resource.')
param tags object

@minLength(3)
@maxLength(24)
@description('Key Vault name.')
param name string

@secure()
@description('Cloudflare API token; the secret is written only when this is not empty.')
param cloudflareApiToken string = ''

@secure()
@description('Key that signs outcome callbacks; the secret is written only when this is not empty.')
param callbackSigningKey string = ''

@description('Object id of the app\'s managed identity, which reads the secret.')
param principalId string

@description('Optional object id of an operator who may set or rotate the secret; empty for none.')
param operatorPrincipalId string = ''

// The secret name the app setting CLOUDFLARE_API_TOKEN refers to.
var secretName = 'cloudflare-api-token'
// The secret name the app setting CALLBACK_SIGNING_KEY refers to.
var callbackSigningKeySecretName = 'callback-signing-key'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    // Soft delete is always on; the shortest retention lets `azd down --purge` and a re-deploy reuse the name soon.
    // Purge protection is left off for the same reason; switch it on for production if your policy asks for it.
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

// Written only when a token is given, so a re-deployment without one keeps a secret that an operator set by hand.
resource cloudflareToken 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(cloudflareApiToken)) {
  parent: vault
  name: secretName
  properties: {
    value: cloudflareApiToken
    contentType: 'Cloudflare API token (may create account API tokens)'
  }
}

// Written only when a key is given, like the token: an operator may set (and rotate) it by hand instead.
resource callbackKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(callbackSigningKey)) {
  parent: vault
  name: callbackSigningKeySecretName
  properties: {
    value: callbackSigningKey
    contentType: 'HMAC-SHA256 key that signs outcome callbacks (shared with their receivers)'
  }
}

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

// Secrets User on the vault rather than on the secret: the secret may not exist yet when this deploys (token given
// later), and a role assignment needs an existing scope. The vault holds nothing else.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The operator may be a user or a pipeline's service principal, so principalType is left for Azure to work out.
resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(vault.id, operatorPrincipalId, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
    principalId: operatorPrincipalId
  }
}

output name string = vault.name
// Versionless, so that the Key Vault reference follows rotations (App Service re-reads it within 24 hours, or at
// once on a restart or configuration change).
output cloudflareTokenSecretUri string = '${vault.properties.vaultUri}secrets/${secretName}'
// Versionless as well.
output callbackSigningKeySecretUri string = '${vault.properties.vaultUri}secrets/${callbackSigningKeySecretName}'
