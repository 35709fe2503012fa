import { describe, expect, it } from "@jest/globals";
import { inspect } from "node:util";
import { mapKeyVaultError, type ReadContext } from "../src/read/map-key-vault-error.js";

const context: ReadContext = {
  vaultUrl: "https://my-vault.vault.azure.net",
  secretName: "oncehub-api-key",
  hidden: [],
  pinned: false,
  source: "azure-keyvault:my-vault.vault.azure.net/oncehub-api-key",
  credentialName: "DefaultAzureCredential",
  timeoutMs: 10_000,
};

/** Everything a logger could print of an error. */
const shown = (error: Error): string =>
  [error.message, error.stack, inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)].join(
    "\n",
  );

describe(mapKeyVaultError.name, () => {
  describe("when the SDK's message repeats a bearer token", () => {
    it("blanks the token in the message and the cause", () => {
      const sdkError = Object.assign(
        new Error("Bad request: token Bearer eyJ0eXAi.secret-token was refused"),
        {
          name: "RestError",
          statusCode: 400,
          code: "BadParameter",
        },
      );

      const mapped = mapKeyVaultError(sdkError, context);

      expect(mapped).toMatchObject({ code: "KEY_SOURCE" });
      expect(mapped.message).toContain("Bearer [redacted]");
      expect(shown(mapped)).not.toContain("secret-token");
    });
  });

  describe("when the SDK could not parse an answer", () => {
    it("never repeats the body, which holds the secret", () => {
      const sdkError = Object.assign(
        new Error(
          'Error "SyntaxError: Unexpected end of JSON input" occurred while parsing the response body - ' +
            '{"value":"the-secret-value","id":"https://my-vault',
        ),
        { name: "RestError", statusCode: 200, code: "PARSE_ERROR" },
      );

      const mapped = mapKeyVaultError(sdkError, context);

      expect(mapped.message).toContain("occurred while parsing the response body (the body is not repeated)");
      expect(shown(mapped)).not.toContain("the-secret-value");
    });
  });

  describe("when a proxy answers a 5xx without Key Vault's error body", () => {
    it("names the status alone", () => {
      const sdkError = Object.assign(new Error("Bad Gateway"), { name: "RestError", statusCode: 502 });

      expect(mapKeyVaultError(sdkError, context).message).toContain(
        `"oncehub-api-key" (502) after the SDK's retries`,
      );
    });
  });
});
