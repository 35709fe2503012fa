/**
 * What the fake vault understood a request to be, named after the `SecretClient` method that sends it:
 * `GET /secrets/{name}/{version?}` is `getSecret`, `GET /secrets/{name}/versions` is `getSecretVersions`,
 * `PUT /secrets/{name}` is `setSecret`; anything else is `unknown`.
 */
export type FakeKeyVaultOperation = "getSecret" | "getSecretVersions" | "setSecret" | "unknown";
