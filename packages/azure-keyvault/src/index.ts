export { fromAzureKeyVault } from "./from-azure-key-vault.js";
export type { FromAzureKeyVaultOptions } from "./from-azure-key-vault-options.js";
export type { ThrottleRetryOptions } from "./read/retry-throttled.js";
export { azureKeyVaultSource } from "./azure-key-vault-source.js";
export { keyVaultMetadata } from "./key-vault-metadata.js";
export type { KeyVaultSecretMetadata } from "./key-vault-metadata.js";
