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

@description('Grant the identity its Microsoft Graph application permissions here (graph-permissions.bicep). Needs a deployer who may grant them (Privileged Role Administrator or Global Administrator); set false and run grant-graph-permissions.sh instead otherwise.')
param grantGraphPermissions bool = true

@description('Optional object id of the person or pipeline operating this deployment (azd: AZURE_PRINCIPAL_ID). It gets Key Vault Secrets Officer on the vault so that it can set or rotate the Cloudflare token.')
param operatorPrincipalId string = ''

// One suffix per subscription, resource group and environment keeps names unique and stable across re-deployments.
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
}

// Queue names as in src/main/java/dev/scimonboard/pipeline/Queues.java. The poison queues are the Functions host's
// (`<queue>-poison`); they are created here so that the identity's per-queue role assignments can cover them.
var stepQueues = [
  'create-app'
  'create-job'
  'save-secrets'
  'test-connection'
  'assign-access'
  'start-provisioning'
]
var intakeQueue = 'onboarding-events'
// Where the intake sets aside events it cannot use (Queues.ONBOARDING_EVENTS_REJECTED), and the host's poison queue
// for intake messages that failed on every delivery (storage unreachable).
var queueNames = concat(stepQueues, map(stepQueues, q => '${q}-poison'), [
  intakeQueue
  '${intakeQueue}-rejected'
  '${intakeQueue}-poison'
])

// The status table, as StatusStore.TABLE_NAME.
var statusTable = 'onboardings'

var functionAppName = 'func-${resourceToken}'
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
    queueNames: queueNames
    tableName: statusTable
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
    principalId: identity.properties.principalId
    operatorPrincipalId: operatorPrincipalId
  }
}

// The app module consumes outputs of the three modules above, so ARM starts it only after their role assignments
// exist: the host's first start then finds its storage, secret and telemetry permissions in place.
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
  }
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    location: location
    tags: tags
    topicName: 'evgt-${resourceToken}'
    storageAccountName: storage.outputs.name
    queueName: intakeQueue
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
