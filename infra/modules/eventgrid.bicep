// Event Grid custom topic whose events land in the onboarding-events queue, where the intake function reads them.
//
// Delivery identity: the topic's own system-assigned identity, with Storage Queue Data Message Sender on that one
// queue. Not the app's user-assigned identity, although that would work too: it holds Queue Data Contributor on
// every step queue, so anyone allowed to add a subscription to the topic could then deliver straight into
// create-app and the other step queues, past the API's validation. The system identity can only add messages to
// onboarding-events. (Delivery with a managed identity is needed at all because the account refuses shared keys.)

@description('Region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Event Grid topic name.')
param topicName string

@description('Storage account holding the intake queue.')
param storageAccountName string

@description('The intake queue.')
param queueName string

// The intake function reads both schemas. The topic takes events in this schema and delivers them unchanged:
// Event Grid can turn Event Grid schema into CloudEvents on delivery, but not CloudEvents into Event Grid schema,
// so one setting for both ends is the combination that always works.
@allowed([
  'EventGridSchema'
  'CloudEventSchemaV1_0'
])
@description('Schema publishers send and the intake queue receives: Event Grid schema or CloudEvents 1.0.')
param eventSchema string = 'EventGridSchema'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource intakeQueue 'queues' existing = {
      name: queueName
    }
  }
}

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: topicName
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    inputSchema: eventSchema
    // Publishers authenticate with Entra ID and need the EventGrid Data Sender role on this topic; no access keys.
    disableLocalAuth: true
    minimumTlsVersionAllowed: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

var storageQueueDataMessageSender = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'

resource queueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::queueService::intakeQueue.id, topic.id, storageQueueDataMessageSender)
  scope: account::queueService::intakeQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataMessageSender)
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource toIntakeQueue 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'to-onboarding-events'
  // The role must exist before Event Grid starts delivering; failed deliveries during role propagation are retried.
  dependsOn: [
    queueSender
  ]
  properties: {
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: account.id
          queueName: queueName
          // Seven days, as Storage's default: an intake outage over a weekend loses no event.
          queueMessageTimeToLiveInSeconds: 604800
        }
      }
    }
    eventDeliverySchema: eventSchema
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output name string = topic.name
output endpoint string = topic.properties.endpoint
