// The app's storage account: Functions host storage (AzureWebJobsStorage), the Flex Consumption deployment
// container, the step queues with their poison queues, the intake queues and the status table.
// Entra ID only: shared keys and SAS are switched off, so every caller is authorised by a role assignment.

@description('Region.')
param location string

@description('Tags for every resource.')
param tags object

@minLength(3)
@maxLength(24)
@description('Storage account name (lower-case letters and digits).')
param name string

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Object id of the app\'s managed identity.')
param principalId string

// The queues, as in src/main/java/dev/scimonboard/pipeline/Queues.java; the identity gets Storage Queue Data
// Contributor on each queue (not on the account), so every queue the app or the host will touch must exist here,
// the host's `<queue>-poison` queues included: the host could not create them on the fly. The poison queues of the
// steps are triggered too (PoisonFunctions marks the onboarding failed), so they have poison queues of their own.
// DeploymentConsistencyTest reads these lists: keep them plain literals, one a line.
var queueNames = [
  'create-app'
  'create-job'
  'save-secrets'
  'test-connection'
  'assign-access'
  'start-provisioning'
  'create-app-poison'
  'create-job-poison'
  'save-secrets-poison'
  'test-connection-poison'
  'assign-access-poison'
  'start-provisioning-poison'
  'create-app-poison-poison'
  'create-job-poison-poison'
  'save-secrets-poison-poison'
  'test-connection-poison-poison'
  'assign-access-poison-poison'
  'start-provisioning-poison-poison'
  // Offboarding: three steps like the onboarding ones, with their poison queues and those queues' own.
  'remove-job'
  'remove-app'
  'remove-tokens'
  'remove-job-poison'
  'remove-app-poison'
  'remove-tokens-poison'
  'remove-job-poison-poison'
  'remove-app-poison-poison'
  'remove-tokens-poison-poison'
  'onboarding-events'
  'onboarding-events-rejected'
  'onboarding-events-poison'
  // Token rotation: its queue, the host's poison queue, and that one's own (RotateTokenPoison is triggered by it).
  'rotate-token'
  'rotate-token-poison'
  'rotate-token-poison-poison'
  // Outcome callbacks: one message per attempt, the host's poison queue, and that one's own (SendCallbackPoison).
  'send-callback'
  'send-callback-poison'
  'send-callback-poison-poison'
]

// The status table, as StatusStore.TABLE_NAME (Services.java creates it too, if missing).
var tableNames = [
  'onboardings'
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Public endpoint without network rules: Flex Consumption without VNet integration and Event Grid delivery with
    // a managed identity both reach the account over its public endpoint (authorised by Entra ID, never by key).
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queueName in queueNames: {
  parent: queueService
  name: queueName
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for tableName in tableNames: {
  parent: tableService
  name: tableName
}]

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// Blob Data Owner on the account, as Functions requires for an identity-based AzureWebJobsStorage: the host creates
// and uses its own containers (azure-webjobs-hosts for locks, azure-webjobs-secrets for function keys) besides
// reading the deployment package from the deployment container, so a container-scoped grant would not do.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, storageBlobDataOwner)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Queue Data Contributor on each queue rather than the account: the app and the host only touch these queues by
// name (StepQueues' createIfNotExists and the host's poison-queue creation address the queue itself).
resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, length(queueNames)): {
  name: guid(queues[i].id, principalId, storageQueueDataContributor)
  scope: queues[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

// Table Data Contributor on the account, not the table: Services.java calls createTableIfNotExists("onboardings")
// at start-up, and Create Table is a request to the account's Tables collection (the name travels in the body), so a
// grant on the table alone would refuse it with 403. If the code stops creating the table (it exists from here),
// this can be scoped to the table (`tables[0]`) instead.
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, storageTableDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = account.name
output deploymentContainerName string = deploymentContainer.name
// The queue Event Grid delivers onboarding events to (Queues.ONBOARDING_EVENTS), one of queueNames.
output intakeQueueName string = 'onboarding-events'
