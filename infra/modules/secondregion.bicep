// An optional second deployment of FuncSecrets in another Azure region, serving another AWS Region
// name, configured as the first deployment's replication peer and the first as its own (issue 14,
// docs/replication.md). It gets its own storage account (tables), Key Vault (key-encryption key and
// access key secret), Application Insights and Function App; it shares the first deployment's
// user-assigned identity, so each app can write the other's table and wrap with the other's key.
// Deployed by main.bicep only when secondaryAwsRegion is set.

@description('Azure region of the second deployment.')
param location string

@description('The AWS Region name the second deployment answers as (its FuncSecrets:Region).')
param awsRegion string

param awsAccountId string
param accessKeyId string

@secure()
param secretAccessKey string

@description('Resource names of the second deployment, computed by main.bicep.')
param appName string
param storageName string
param keyVaultName string
param keyName string

@description('The shared user-assigned identity.')
param identityId string
param identityPrincipalId string
param identityClientId string

param tableName string
param dueTableName string
param deploymentContainerName string
param purgeSchedule string
param rotateSchedule string
param replicateSchedule string
param maximumInstanceCount int

@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('The first deployment as this one\'s peer: {region, tableEndpoint, tableName, defaultKeyUri}.')
param primaryPeer object

param tags object = {}

module storage 'storage.bicep' = {
  name: 'storage-${awsRegion}'
  params: {
    name: storageName
    location: location
    principalId: identityPrincipalId
    deploymentContainerName: deploymentContainerName
    tableName: tableName
    dueTableName: dueTableName
    tags: tags
  }
}

module keyVault 'keyvault.bicep' = {
  name: 'keyvault-${awsRegion}'
  params: {
    name: keyVaultName
    location: location
    principalId: identityPrincipalId
    keyName: keyName
    accessKeyId: accessKeyId
    secretAccessKey: secretAccessKey
    tags: tags
  }
}

module monitoring 'monitoring.bicep' = {
  name: 'monitoring-${awsRegion}'
  params: {
    name: appName
    location: location
    tags: tags
  }
}

module functionApp 'functionapp.bicep' = {
  name: 'functionapp-${awsRegion}'
  params: {
    name: appName
    location: location
    identityId: identityId
    identityClientId: identityClientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    tableEndpoint: storage.outputs.tableEndpoint
    tableName: tableName
    dueTableName: dueTableName
    defaultKeyUri: keyVault.outputs.keyUri
    awsRegion: awsRegion
    awsAccountId: awsAccountId
    accessKeyId: accessKeyId
    accessKeySecretUri: keyVault.outputs.accessKeySecretUri
    purgeSchedule: purgeSchedule
    rotateSchedule: rotateSchedule
    replicateSchedule: replicateSchedule
    replicationPeers: [primaryPeer]
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    tags: tags
  }
}

output functionAppName string = functionApp.outputs.name
output endpoint string = 'https://${functionApp.outputs.defaultHostName}'
output storageAccountName string = storage.outputs.name
