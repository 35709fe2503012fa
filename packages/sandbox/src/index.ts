export { startFakeKeyVault } from "./key-vault/start-fake-key-vault.js";
export type { FakeKeyVault, FakeKeyVaultOptions } from "./key-vault/start-fake-key-vault.js";
export type { FakeKeyVaultSecretOptions } from "./key-vault/secret-store.js";
export type { FakeKeyVaultPermission, FakeKeyVaultTokenGrant } from "./key-vault/vault-access.js";
export type { FakeKeyVaultCall, FakeKeyVaultCalls, FakeKeyVaultOperation } from "./key-vault/vault-calls.js";
export type { FakeKeyVaultFault, FakeKeyVaultFaults } from "./key-vault/vault-faults.js";
