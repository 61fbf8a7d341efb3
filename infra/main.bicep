// Cloudflare SCIM onboarding: everything the Function App needs in one resource group.
// Deployed by `azd up` (azure.yaml at the repository root) or `az deployment group create`; see infra/README.md.
// Not runnable on the build machines (no Azure access): nothing here has been compiled or deployed from them.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd: AZURE_ENV_NAME). Seeds the unique suffix of every resource name.')
param environmentName string

@description('Region for all resources. It must offer the Flex Consumption plan.')
param location string = resourceGroup().location

@secure()
@description('Cloudflare API token allowed to create account API tokens. Stored in Key Vault when given; leave empty to set the secret later (see infra/README.md).')
param cloudflareApiToken string = ''

@description('Microsoft Graph root the app calls (app setting GRAPH_BASE_URL).')
param graphBaseUrl string = 'https://graph.microsoft.com/v1.0'

@description('Non-gallery application template id (app setting ENTRA_APP_TEMPLATE_ID); differs in US Gov and China clouds.')
param appTemplateId string = '8adf8e6e-67b2-4cf2-a259-e3dc5476c621'

@description('Cloudflare API root (app setting CLOUDFLARE_API_BASE_URL).')
param cloudflareApiBaseUrl string = 'https://api.cloudflare.com/client/v4'

@description('Exact name of Cloudflare\'s SCIM provisioning permission group, if the app does not recognise it.')
param cloudflareScimPermissionGroup string = ''

@description('Event type on the onboarding-events queue that asks for an onboarding (ONBOARDING_EVENT_TYPE).')
param onboardingEventType string = 'Cloudflare.Account.Created'

@allowed([
  'EventGridSchema'
  'CloudEventSchemaV1_0'
])
@description('Schema of the events publishers send to the Event Grid topic, delivered unchanged to the intake queue.')
param eventSchema string = 'EventGridSchema'

@description('When account discovery runs (DISCOVERY_SCHEDULE), a six-field NCRONTAB expression in UTC.')
param discoverySchedule string = '0 */15 * * * *'

@description('Regular expression that discovered account names match (DISCOVERY_ACCOUNT_NAME_PATTERN); empty: off.')
param discoveryAccountNamePattern string = ''

@description('Comma-separated account ids discovery is limited to (DISCOVERY_ACCOUNT_ALLOWLIST); empty for all.')
param discoveryAccountAllowlist string = ''

@description('Comma-separated Entra group object ids assigned to every discovered account (DISCOVERY_DEFAULT_GROUPS).')
param discoveryDefaultGroups string = ''

@description('Resource ids of existing (RBAC) Key Vaults holding SCIM tokens (SCIM_TOKEN_KEY_VAULTS); empty: none.')
param scimTokenKeyVaultIds array = []

@description('When SCIM token rotation runs (TOKEN_ROTATION_SCHEDULE), a six-field NCRONTAB expression in UTC.')
param tokenRotationSchedule string = '0 0 3 * * *'

@description('Age in days after which a SCIM token is rotated (TOKEN_ROTATION_MAX_AGE_DAYS); empty turns rotation off.')
param tokenRotationMaxAgeDays string = ''

@description('When the job health check runs (HEALTH_CHECK_SCHEDULE), a six-field NCRONTAB expression in UTC.')
param healthCheckSchedule string = '0 */30 * * * *'

@description('Synchronization jobs the health check reads per second (HEALTH_CHECK_READS_PER_SECOND), 1 to 50.')
param healthCheckReadsPerSecond string = '5'

@description('Graph writes one instance sends per second (GRAPH_WRITES_PER_SECOND), 0 for no pacing; Graph allows about 20 for the app in the tenant, shared by all instances.')
param graphWritesPerSecond string = '18'

@description('Comma-separated hosts (and *.suffix wildcards) outcome callbacks may go to (CALLBACK_ALLOWED_HOSTS); empty: callbacks are not accepted.')
param callbackAllowedHosts string = ''

@secure()
@description('Key that signs outcome callbacks, at least 32 characters. Stored in Key Vault as callback-signing-key when given; leave empty to set the secret later (see docs/operations.md).')
param callbackSigningKey string = ''

@description('Grant the identity its Microsoft Graph application permissions here (graph-permissions.bicep). Needs a deployer who may grant them (Privileged Role Administrator or Global Administrator); set false and run grant-graph-permissions.sh instead otherwise.')
param grantGraphPermissions bool = true

@description('Optional object id of the person or pipeline operating this deployment (azd: AZURE_PRINCIPAL_ID). It gets Key Vault Secrets Officer on the vault so that it can set or rotate the Cloudflare token.')
param operatorPrincipalId string = ''

// One suffix per subscription, resource group and environment keeps names unique and stable across re-deployments.
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
}

var functionAppName = 'func-${resourceToken}'
// SCIM_TOKEN_KEY_VAULTS: each vault's URL, from its resource id (the vault name is its last segment).
var keyVaultDns = environment().suffixes.keyvaultDns
var scimTokenKeyVaultUrls = map(scimTokenKeyVaultIds, id => 'https://${last(split(id, '/'))}${keyVaultDns}/')
// Flex Consumption keeps the deployed package in this blob container.
var deploymentContainerName = 'app-package'

// The app's only identity: storage, Key Vault, Application Insights and Microsoft Graph all see this one principal.
// User-assigned so that its role assignments and Graph permissions exist before the app starts, and survive the app.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${resourceToken}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: 'log-${resourceToken}'
    appInsightsName: 'appi-${resourceToken}'
    principalId: identity.properties.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: 'st${resourceToken}'
    deploymentContainerName: deploymentContainerName
    principalId: identity.properties.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    name: 'kv-${resourceToken}'
    cloudflareApiToken: cloudflareApiToken
    callbackSigningKey: callbackSigningKey
    principalId: identity.properties.principalId
    operatorPrincipalId: operatorPrincipalId
  }
}

// Key Vault Secrets User on each vault that holds SCIM tokens, scoped to that vault alone. The vaults already exist
// and may live in other resource groups or subscriptions, hence one module deployment in each vault's group.
module scimTokenVaults 'modules/scim-token-vault.bicep' = [for (vaultId, i) in scimTokenKeyVaultIds: {
  name: 'scim-token-vault-${i}'
  scope: resourceGroup(split(vaultId, '/')[2], split(vaultId, '/')[4])
  params: {
    vaultName: last(split(vaultId, '/'))
    principalId: identity.properties.principalId
  }
}]

// The app module consumes outputs of the three modules before the SCIM token vaults, and waits for those, so ARM
// starts it only after their role assignments exist: the host's first start finds its permissions in place.
module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: tags
    planName: 'plan-${resourceToken}'
    appName: functionAppName
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    cloudflareTokenSecretUri: keyVault.outputs.cloudflareTokenSecretUri
    graphBaseUrl: graphBaseUrl
    appTemplateId: appTemplateId
    cloudflareApiBaseUrl: cloudflareApiBaseUrl
    cloudflareScimPermissionGroup: cloudflareScimPermissionGroup
    onboardingEventType: onboardingEventType
    discoverySchedule: discoverySchedule
    discoveryAccountNamePattern: discoveryAccountNamePattern
    discoveryAccountAllowlist: discoveryAccountAllowlist
    discoveryDefaultGroups: discoveryDefaultGroups
    scimTokenKeyVaults: join(scimTokenKeyVaultUrls, ',')
    tokenRotationSchedule: tokenRotationSchedule
    tokenRotationMaxAgeDays: tokenRotationMaxAgeDays
    healthCheckSchedule: healthCheckSchedule
    healthCheckReadsPerSecond: healthCheckReadsPerSecond
    graphWritesPerSecond: graphWritesPerSecond
    callbackSigningKeySecretUri: keyVault.outputs.callbackSigningKeySecretUri
    callbackAllowedHosts: callbackAllowedHosts
  }
  dependsOn: [
    scimTokenVaults
  ]
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    location: location
    tags: tags
    topicName: 'evgt-${resourceToken}'
    storageAccountName: storage.outputs.name
    queueName: storage.outputs.intakeQueueName
    eventSchema: eventSchema
  }
}

// Microsoft Graph application permissions for the identity (tenant-wide; see graph-permissions.bicep).
module graphPermissions 'graph-permissions.bicep' = if (grantGraphPermissions) {
  name: 'graph-permissions'
  params: {
    principalId: identity.properties.principalId
  }
}

// azd stores these outputs in the environment (.azure/<env>/.env); grant-graph-permissions.sh reads the principal id.
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_IDENTITY_CLIENT_ID string = identity.properties.clientId
output AZURE_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output EVENT_GRID_TOPIC_ENDPOINT string = eventGrid.outputs.endpoint
