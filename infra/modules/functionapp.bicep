// Flex Consumption plan and the Java 17 Function App, running as the user-assigned identity.

@description('Region.')
param location string

@description('Tags for every resource; the app also gets azd-service-name so that `azd deploy` finds it.')
param tags object

@description('Flex Consumption plan name.')
param planName string

@description('Function App name.')
param appName string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Storage account for AzureWebJobsStorage, queues, table and the deployment package.')
param storageAccountName string

@description('Blob container for the deployment package.')
param deploymentContainerName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Versionless URI of the Key Vault secret holding the Cloudflare API token.')
param cloudflareTokenSecretUri string

@description('Versionless URI of the Key Vault secret holding the key that signs outcome callbacks.')
param callbackSigningKeySecretUri string

@description('CALLBACK_ALLOWED_HOSTS: comma-separated hosts (and *.suffix wildcards) callbacks may go to; empty: none.')
param callbackAllowedHosts string = ''

@description('GRAPH_BASE_URL.')
param graphBaseUrl string

@description('ENTRA_APP_TEMPLATE_ID.')
param appTemplateId string

@description('CLOUDFLARE_API_BASE_URL.')
param cloudflareApiBaseUrl string

@description('CLOUDFLARE_SCIM_PERMISSION_GROUP: exact name of Cloudflare\'s SCIM permission group, if not recognised.')
param cloudflareScimPermissionGroup string = ''

@description('ONBOARDING_EVENT_TYPE: the event type on onboarding-events that asks for an onboarding.')
param onboardingEventType string = 'Cloudflare.Account.Created'

// The schedule setting must exist even while discovery is off: the Functions host resolves %DISCOVERY_SCHEDULE% when
// it indexes the functions, and a function whose setting is missing cannot start.
@description('DISCOVERY_SCHEDULE: when account discovery runs, as a six-field NCRONTAB expression (UTC).')
param discoverySchedule string = '0 */15 * * * *'

@description('DISCOVERY_ACCOUNT_NAME_PATTERN: regular expression account names must match; empty turns discovery off.')
param discoveryAccountNamePattern string = ''

@description('DISCOVERY_ACCOUNT_ALLOWLIST: comma-separated account ids discovery is limited to; empty for all.')
param discoveryAccountAllowlist string = ''

@description('DISCOVERY_DEFAULT_GROUPS: comma-separated Entra group object ids every discovered account is assigned.')
param discoveryDefaultGroups string = ''

@description('SCIM_TOKEN_KEY_VAULTS: comma-separated Key Vault URLs whose secrets may hold SCIM tokens; empty: none.')
param scimTokenKeyVaults string = ''

// Set even while rotation is off: like DISCOVERY_SCHEDULE, a timer's schedule setting must exist for it to start.
@description('TOKEN_ROTATION_SCHEDULE: when SCIM token rotation runs, as a six-field NCRONTAB expression (UTC).')
param tokenRotationSchedule string = '0 0 3 * * *'

@description('TOKEN_ROTATION_MAX_AGE_DAYS: age in days after which a SCIM token is rotated; empty turns rotation off.')
param tokenRotationMaxAgeDays string = ''

// Like the other timers' schedules, it must exist for the function to start.
@description('HEALTH_CHECK_SCHEDULE: when the job health check runs, as a six-field NCRONTAB expression (UTC).')
param healthCheckSchedule string = '0 */30 * * * *'

@description('HEALTH_CHECK_READS_PER_SECOND: synchronization jobs the health check reads per second, 1 to 50.')
param healthCheckReadsPerSecond string = '5'

@description('GRAPH_WRITES_PER_SECOND: Graph writes one instance sends per second; 0 switches the pacing off.')
param graphWritesPerSecond string = '18'

// 2048 MB is the Flex Consumption default instance size (512 and 4096 are the other choices). A JVM with the Graph
// SDK is comfortable in it, and the steps are I/O-bound, so a bigger instance would only cost more.
@allowed([
  512
  2048
  4096
])
@description('Memory per instance, in MB.')
param instanceMemoryMB int = 2048

// 40 is the lowest maximum Flex Consumption accepts. Graph throttles per app and tenant (a few thousand writes per
// few minutes), so more instances would only meet more 429s; each step re-queues itself on throttling anyway.
@minValue(40)
@maxValue(1000)
@description('Largest number of instances the app may scale out to.')
param maximumInstanceCount int = 40

var storageSuffix = environment().suffixes.storage

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, {
    'azd-service-name': 'api' // the service name in azure.yaml
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved with this identity (an app with only a user-assigned identity has no
    // system-assigned one to fall back to).
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: 'https://${storageAccountName}.blob.${storageSuffix}/${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // Flex Consumption takes the language here; FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION must
      // not be set as app settings on this plan.
      runtime: {
        name: 'java'
        version: '17'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Identity-based host storage (no connection string exists: the account refuses shared keys).
        // Services.java reads the same settings for its own queue and table clients.
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: 'https://${storageAccountName}.blob.${storageSuffix}'
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: 'https://${storageAccountName}.queue.${storageSuffix}'
        }
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: 'https://${storageAccountName}.table.${storageSuffix}'
        }
        // azure-identity's DefaultAzureCredential picks the user-assigned identity by this client id (Graph calls).
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
        }
        // Entra-authenticated telemetry as the user-assigned identity (the component refuses key-based ingestion).
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        {
          name: 'GRAPH_BASE_URL'
          value: graphBaseUrl
        }
        {
          name: 'ENTRA_APP_TEMPLATE_ID'
          value: appTemplateId
        }
        {
          name: 'CLOUDFLARE_API_BASE_URL'
          value: cloudflareApiBaseUrl
        }
        {
          name: 'CLOUDFLARE_SCIM_PERMISSION_GROUP'
          value: cloudflareScimPermissionGroup
        }
        // Always a reference, even before the secret exists: the setting then resolves as soon as an operator sets
        // the secret, without a re-deployment. Until then the app sees the unresolved reference text.
        {
          name: 'CLOUDFLARE_API_TOKEN'
          value: '@Microsoft.KeyVault(SecretUri=${cloudflareTokenSecretUri})'
        }
        {
          name: 'STEP_DEADLINE_SECONDS'
          value: '900'
        }
        {
          name: 'REPLICATION_WINDOW_SECONDS'
          value: '120'
        }
        {
          name: 'ONBOARDING_EVENT_TYPE'
          value: onboardingEventType
        }
        {
          name: 'DISCOVERY_SCHEDULE'
          value: discoverySchedule
        }
        {
          name: 'DISCOVERY_ACCOUNT_NAME_PATTERN'
          value: discoveryAccountNamePattern
        }
        {
          name: 'DISCOVERY_ACCOUNT_ALLOWLIST'
          value: discoveryAccountAllowlist
        }
        {
          name: 'DISCOVERY_DEFAULT_GROUPS'
          value: discoveryDefaultGroups
        }
        {
          name: 'SCIM_TOKEN_KEY_VAULTS'
          value: scimTokenKeyVaults
        }
        {
          name: 'TOKEN_ROTATION_SCHEDULE'
          value: tokenRotationSchedule
        }
        {
          name: 'TOKEN_ROTATION_MAX_AGE_DAYS'
          value: tokenRotationMaxAgeDays
        }
        {
          name: 'HEALTH_CHECK_SCHEDULE'
          value: healthCheckSchedule
        }
        {
          name: 'HEALTH_CHECK_READS_PER_SECOND'
          value: healthCheckReadsPerSecond
        }
        {
          name: 'GRAPH_WRITES_PER_SECOND'
          value: graphWritesPerSecond
        }
        {
          name: 'CALLBACK_ALLOWED_HOSTS'
          value: callbackAllowedHosts
        }
        // A reference like CLOUDFLARE_API_TOKEN's; callbacks fail (never go unsigned) until the secret exists.
        {
          name: 'CALLBACK_SIGNING_KEY'
          value: '@Microsoft.KeyVault(SecretUri=${callbackSigningKeySecretUri})'
        }
      ]
    }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
