// FuncSecrets on Azure: a Flex Consumption Function App running the isolated worker, its storage
// (host storage, deployment container, the two tables), a Key Vault with the key-encryption key
// and the access key's secret, a user-assigned identity holding exactly the roles it needs, and
// Application Insights. Deploy with infra/deploy.sh (see docs/deploy.md).
targetScope = 'resourceGroup'

@description('Short lowercase prefix for resource names (letters, digits, hyphens).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'funcsecrets'

@description('Azure region of every resource; must offer the Flex Consumption plan.')
param location string = resourceGroup().location

@description('The AWS region the service answers as (FuncSecrets:Region): the region in ARNs and in SigV4 credential scopes.')
param awsRegion string = 'us-east-1'

@description('The 12-digit account id in ARNs (FuncSecrets:AccountId).')
@minLength(12)
@maxLength(12)
param awsAccountId string = '123456789012'

@description('Access key id clients sign with (FuncSecrets:Auth:AccessKeys:0:AccessKeyId).')
@minLength(3)
param accessKeyId string

@description('The matching secret access key; stored in Key Vault, never in an app setting.')
@secure()
@minLength(16)
param secretAccessKey string

@description('NCRONTAB (six fields, UTC) of the PurgeDeletedSecrets timer. Default: hourly at half past.')
param purgeSchedule string = '0 30 * * * *'

@description('NCRONTAB (six fields, UTC) of the RotateSecrets timer. Default: every 15 minutes.')
param rotateSchedule string = '0 */15 * * * *'

@description('NCRONTAB (six fields, UTC) of the ReplicateSecrets timer, which retries replicas a write could not update. Default: every 5 minutes.')
param replicateSchedule string = '0 */5 * * * *'

@description('Optional second Region (issue 14, docs/replication.md): the AWS Region name a second deployment answers as, e.g. eu-west-1. Empty (the default): one deployment, no replication.')
param secondaryAwsRegion string = ''

@description('Azure region of the second deployment (used only with secondaryAwsRegion); must offer the Flex Consumption plan.')
param secondaryLocation string = ''

@description('Most instances the Flex Consumption plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

param tags object = {}

var suffix = uniqueString(resourceGroup().id, namePrefix)
var compactPrefix = toLower(replace(namePrefix, '-', ''))
var appName = toLower('${namePrefix}-${suffix}')
var storageName = take('${compactPrefix}${suffix}', 24)
var keyVaultName = '${take(compactPrefix, 10)}-kv-${take(suffix, 10)}'
var deploymentContainerName = 'app-package'
var tableName = 'secrets'
var dueTableName = 'secretsdue'
var keyName = 'funcsecrets-kek'

// The optional second Region: its names are derived here, so each deployment can name the other's
// table and key without waiting for the other's outputs.
var replicated = !empty(secondaryAwsRegion)
var secondarySuffix = uniqueString(resourceGroup().id, namePrefix, secondaryAwsRegion)
var secondaryStorageName = take('${compactPrefix}${secondarySuffix}', 24)
var secondaryKeyVaultName = '${take(compactPrefix, 10)}-kv-${take(secondarySuffix, 10)}'
var secondaryPeer = {
  region: secondaryAwsRegion
  tableEndpoint: 'https://${secondaryStorageName}.table.${environment().suffixes.storage}'
  tableName: tableName
  defaultKeyUri: 'https://${secondaryKeyVaultName}${environment().suffixes.keyvaultDns}/keys/${keyName}'
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${appName}-id'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageName
    location: location
    principalId: identity.outputs.principalId
    deploymentContainerName: deploymentContainerName
    tableName: tableName
    dueTableName: dueTableName
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: keyVaultName
    location: location
    principalId: identity.outputs.principalId
    keyName: keyName
    accessKeyId: accessKeyId
    secretAccessKey: secretAccessKey
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: appName
    location: location
    tags: tags
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: appName
    location: location
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
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
    replicationPeers: replicated ? [secondaryPeer] : []
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    tags: tags
  }
}

module secondary 'modules/secondregion.bicep' = if (replicated) {
  name: 'secondregion'
  params: {
    location: empty(secondaryLocation) ? location : secondaryLocation
    awsRegion: secondaryAwsRegion
    awsAccountId: awsAccountId
    accessKeyId: accessKeyId
    secretAccessKey: secretAccessKey
    appName: toLower('${namePrefix}-${secondarySuffix}')
    storageName: secondaryStorageName
    keyVaultName: secondaryKeyVaultName
    keyName: keyName
    identityId: identity.outputs.id
    identityPrincipalId: identity.outputs.principalId
    identityClientId: identity.outputs.clientId
    tableName: tableName
    dueTableName: dueTableName
    deploymentContainerName: deploymentContainerName
    purgeSchedule: purgeSchedule
    rotateSchedule: rotateSchedule
    replicateSchedule: replicateSchedule
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    primaryPeer: {
      region: awsRegion
      tableEndpoint: storage.outputs.tableEndpoint
      tableName: tableName
      defaultKeyUri: keyVault.outputs.keyUri
    }
    tags: tags
  }
}

output functionAppName string = functionApp.outputs.name
output endpoint string = 'https://${functionApp.outputs.defaultHostName}'
output keyVaultName string = keyVault.outputs.name
output keyUri string = keyVault.outputs.keyUri
output storageAccountName string = storage.outputs.name
output awsRegion string = awsRegion
output secondaryEndpoint string = replicated ? secondary!.outputs.endpoint : ''
