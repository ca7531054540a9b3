// Key Vault: the RSA key that wraps every secret's data key (RSA-OAEP-256 wrapkey/unwrapkey),
// and the access keys' secret halves, which the app reads through Key Vault references.
// Purge protection is on: losing the key would make every stored secret unreadable.

@description('Key Vault name (3-24 letters, digits and hyphens, globally unique).')
param name string

@description('Azure region.')
param location string

@description('Principal id of the managed identity that wraps keys and reads the access keys.')
param principalId string

@description('Name of the key-encryption key.')
param keyName string

@description('Access key id of the first access key (FuncSecrets:Auth:AccessKeys:0).')
param accessKeyId string

@description('Its secret access key, stored as a Key Vault secret the app reads through a Key Vault reference.')
@secure()
param secretAccessKey string

param tags object = {}

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var keyVaultCryptoUser = '12338af0-0e69-4776-bea7-57ae8d297424'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

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
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// Creates the first version only; redeploying never adds versions or changes the key
// (Microsoft.KeyVault/vaults/keys semantics). Rotate with `az keyvault key rotate`: rows keep the
// versioned key id they were wrapped with, so older versions go on unwrapping them.
resource key 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: keyName
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
    attributes: {
      enabled: true
    }
  }
}

resource accessKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'access-key-0'
  properties: {
    value: secretAccessKey
    contentType: 'AWS secret access key for ${accessKeyId}'
  }
}

resource cryptoUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, principalId, keyVaultCryptoUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultCryptoUser)
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, principalId, keyVaultSecretsUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
// Versionless: new data keys are wrapped with the key's current version.
output keyUri string = key.properties.keyUri
// Versionless: a Key Vault reference to it follows a new secret version within a day (or on restart).
output accessKeySecretUri string = accessKeySecret.properties.secretUri
