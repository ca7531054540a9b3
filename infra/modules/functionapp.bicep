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

param applicationInsightsConnectionString string

@description('Upper bound on instances the plan scales out to.')
param maximumInstanceCount int

@allowed([512, 2048, 4096])
param instanceMemoryMB int

param tags object = {}

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
      appSettings: [
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
      ]
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
