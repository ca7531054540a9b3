// The Function App on the Flex Consumption plan (FC1), running FuncSecrets as a .NET isolated
// worker (runtime dotnet-isolated 10.0): the package is `dotnet publish` of src/FuncSecrets.Functions.
// Every FuncSecrets setting is an app setting; the secret half of the access key is a Key Vault
// reference, resolved by the platform with the user-assigned identity.

@description('Function App name (globally unique: it becomes {name}.azurewebsites.net).')
param name string

@description('Azure region.')
param location string

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of that identity (the app\'s DefaultAzureCredential and AzureWebJobsStorage use it).')
param identityClientId string

@description('Storage account of the Functions host (AzureWebJobsStorage).')
param storageAccountName string

@description('Blob container URL the Flex Consumption plan deploys the package from.')
param deploymentContainerUrl string

@description('Table endpoint of the FuncSecrets tables, without a trailing slash.')
param tableEndpoint string

param tableName string
param dueTableName string

@description('Key Vault key URI that wraps data keys (FuncSecrets:Encryption:DefaultKey).')
param defaultKeyUri string

@description('AWS region in ARNs (FuncSecrets:Region).')
param awsRegion string

@description('12-digit account id in ARNs (FuncSecrets:AccountId).')
param awsAccountId string

param accessKeyId string

@description('Versionless URI of the Key Vault secret holding the secret access key.')
param accessKeySecretUri string

@description('NCRONTAB schedule of the PurgeDeletedSecrets timer.')
param purgeSchedule string

@description('NCRONTAB schedule of the RotateSecrets timer.')
param rotateSchedule string

@description('NCRONTAB schedule of the ReplicateSecrets timer (retries replicas the write path could not update).')
param replicateSchedule string = '0 */5 * * * *'

@description('Peer deployments replicas go to (FuncSecrets:Replication:Peers): objects {region, tableEndpoint, tableName, defaultKeyUri}. Empty: no replication.')
param replicationPeers array = []

param applicationInsightsConnectionString string

@description('Upper bound on instances the plan scales out to.')
param maximumInstanceCount int

@allowed([512, 2048, 4096])
param instanceMemoryMB int

param tags object = {}

// Each peer's table and key-encryption key, reached with this app's identity (which needs table
// data and key wrap roles on the peer's account and vault: secondregion.bicep grants them).
var peerSettings = flatten(map(range(0, length(replicationPeers)), i => [
  { name: 'FuncSecrets__Replication__Peers__${i}__Region', value: replicationPeers[i].region }
  { name: 'FuncSecrets__Replication__Peers__${i}__Storage__TableEndpoint', value: replicationPeers[i].tableEndpoint }
  { name: 'FuncSecrets__Replication__Peers__${i}__Storage__TableName', value: replicationPeers[i].tableName }
  { name: 'FuncSecrets__Replication__Peers__${i}__Encryption__DefaultKey', value: replicationPeers[i].defaultKeyUri }
]))

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
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
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex Consumption takes the worker runtime from functionAppConfig.runtime: no
      // FUNCTIONS_WORKER_RUNTIME or FUNCTIONS_EXTENSION_VERSION settings here.
      appSettings: concat([
        // The Functions host's own storage, by identity (no shared key).
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        // DefaultAzureCredential in FuncSecrets picks the user-assigned identity by this id.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        { name: 'FuncSecrets__Region', value: awsRegion }
        { name: 'FuncSecrets__AccountId', value: awsAccountId }
        { name: 'FuncSecrets__Storage__TableEndpoint', value: tableEndpoint }
        { name: 'FuncSecrets__Storage__TableName', value: tableName }
        { name: 'FuncSecrets__Storage__DueTableName', value: dueTableName }
        { name: 'FuncSecrets__Encryption__DefaultKey', value: defaultKeyUri }
        { name: 'FuncSecrets__Auth__AccessKeys__0__AccessKeyId', value: accessKeyId }
        { name: 'FuncSecrets__Auth__AccessKeys__0__SecretAccessKey', value: '@Microsoft.KeyVault(SecretUri=${accessKeySecretUri})' }
        // Read by the Functions host: %FuncSecrets:Jobs:PurgeSchedule% on the worker's PurgeDeletedSecrets timer.
        { name: 'FuncSecrets__Jobs__PurgeSchedule', value: purgeSchedule }
        { name: 'FuncSecrets__Jobs__RotateSchedule', value: rotateSchedule }
        { name: 'FuncSecrets__Jobs__ReplicateSchedule', value: replicateSchedule }
      ], peerSettings)
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
