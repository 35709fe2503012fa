import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import type { FakeKeyVault } from "@oncekey/sandbox";
import { fromAzureKeyVault, type FromAzureKeyVaultOptions } from "../src/index.js";
import { ConfiguredValue, type TenantTemplate } from "@oncekey/core/source";
import { secretNameTemplate } from "../src/secret-name-template.js";
import { useVaultProviders } from "./vault-providers.js";

const TENANT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const tenantId = fc.stringMatching(TENANT);

describe(fromAzureKeyVault.name, () => {
  let vault: FakeKeyVault;
  const provider = useVaultProviders((started) => (vault = started), { secretName: "oncehub-{tenant}" });

  describe("when a tenant id cannot form a Key Vault name", () => {
    it.each([
      ["an underscore", "acme_eu", /allow only letters, digits and "-"/],
      ["upper-case letters", "Acme", /ignore case/],
      ["too many characters", `t${"x".repeat(127)}`, /more than Key Vault's 127/],
    ])("refuses an id with %s before any vault call", async (_, tenant, why) => {
      const reading = provider().getKey({ tenant });

      await expect(reading).rejects.toMatchObject({ code: "INVALID_TENANT", tenant: tenant.slice(0, 64) });
      await expect(reading).rejects.toThrow(why);
      expect(vault.calls.all()).toEqual([]);
    });

    it("refuses an id core rejects, before any vault call", async () => {
      await expect(provider().getKey({ tenant: "../etc" })).rejects.toMatchObject({ code: "INVALID_TENANT" });
      expect(vault.calls.all()).toEqual([]);
    });
  });

  describe("when a mapping function is given", () => {
    it("reads the secret it names", async () => {
      vault.setSecret("oncehub-acme--eu", "key-acme-eu");
      const keys = provider({ tenantToSecretName: (tenant) => tenant.toLowerCase().replaceAll("_", "--") });

      expect((await keys.getKey({ tenant: "Acme_EU" })).reveal()).toBe("key-acme-eu");
      await keys.close?.();
    });

    it("refuses a second tenant that maps to the same secret", async () => {
      vault.setSecret("oncehub-acme", "key-acme");
      const keys = provider({ tenantToSecretName: (tenant) => tenant.toLowerCase() });
      await keys.getKey({ tenant: "acme" });

      const reading = keys.getKey({ tenant: "ACME" });

      await expect(reading).rejects.toMatchObject({ code: "INVALID_TENANT" });
      await expect(reading).rejects.toThrow(/Tenant ids "acme" and "ACME" both map to oncehub-acme/);
      await keys.close?.();
    });

    it("refuses a name with characters Key Vault does not allow", async () => {
      const keys = provider({ tenantToSecretName: (tenant) => `${tenant}.eu` });
      await expect(keys.getKey({ tenant: "acme" })).rejects.toMatchObject({ code: "INVALID_TENANT" });
      expect(vault.calls.all()).toEqual([]);
    });
  });

  describe("when the secret name and the request disagree about tenants", () => {
    it("says a per-tenant name needs a tenant", async () => {
      await expect(provider().getKey()).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
    });

    it("serves no tenant from a single secret", async () => {
      await expect(
        provider({ secretName: "oncehub-api-key" }).getKey({ tenant: "acme" }),
      ).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
      });
    });
  });

  describe("when the options are invalid", () => {
    it.each<[string, Partial<FromAzureKeyVaultOptions>, string]>([
      ["a secret name with '_'", { secretName: "oncehub_key" }, "secretName"],
      ["{tenant} twice", { secretName: "{tenant}-{tenant}" }, "secretName"],
      ["no room for a tenant", { secretName: `${"x".repeat(127)}{tenant}` }, "secretName"],
      ["an http vault", { vaultUrl: "http://127.0.0.1:1" }, "vaultUrl"],
      ["a vault URL with a path", { vaultUrl: "https://my-vault.vault.azure.net/secrets" }, "vaultUrl"],
      ["a malformed version", { secretName: "k", version: "latest" }, "version"],
      ["a version with {tenant}", { version: "0".repeat(32) }, "version"],
      [
        "a version with refresh-ahead",
        { secretName: "k", version: "0".repeat(32), refreshAheadMs: 1_000 },
        "refreshAheadMs",
      ],
      ["a zero timeout", { timeoutMs: 0 }, "timeoutMs"],
      // Past a timer's range, Node fires after 1 ms: every read would time out at once.
      ["a timeout past a timer's range", { timeoutMs: 3e9 }, "timeoutMs"],
      ["an infinite timeout", { timeoutMs: Infinity }, "timeoutMs"],
      // …and refresh-ahead would poll the vault every millisecond.
      [
        "a refresh interval past a timer's range",
        { secretName: "k", refreshAheadMs: 2 ** 31 },
        "refreshAheadMs",
      ],
      [
        "a throttle delay past a timer's range",
        { throttleRetry: { baseDelayMs: 1e10 } },
        "throttleRetry.baseDelayMs",
      ],
      ["negative throttle retries", { throttleRetry: { maxRetries: -1 } }, "throttleRetry.maxRetries"],
      ["a misspelt throttle option", { throttleRetry: { maxRetry: 1 } as never }, "throttleRetry.maxRetry"],
      // The cache's own options, checked by core's `cached`, are named the same way.
      ["no room for any tenant in the cache", { cache: { maxTenants: 0 } }, "cache.maxTenants"],
      [
        "no room for unknown tenants in the cache",
        { cache: { maxUnknownTenants: 0 } },
        "cache.maxUnknownTenants",
      ],
      ["a negative TTL", { cache: { ttlMs: -1 } }, "cache.ttlMs"],
      ["a string TTL", { cache: { ttlMs: "60000" as never } }, "cache.ttlMs"],
      // They were options of their own before: passed so, they say where they went.
      ["a cache option passed at the top", { ttlMs: 60_000 } as never, "ttlMs"],
      ["a misspelt option", { secretname: "k" } as never, "secretname"],
      ["a string for a number", { timeoutMs: "10000" as never }, "timeoutMs"],
      ["an event listener that is not a function", { onEvent: 5 as never }, "onEvent"],
      // Options of the wrong type, which would otherwise fail as a TypeError, or hang, on the first read.
      ["a mapping that is not a function", { tenantToSecretName: "lower" as never }, "tenantToSecretName"],
      ["a credential without getToken", { credential: {} as never }, "credential"],
      [
        "a client that is not a SecretClient",
        { credential: undefined as never, clientOptions: undefined as never, client: {} as never },
        "client",
      ],
      ["client options that are not an object", { clientOptions: 5 as never }, "clientOptions"],
      ["enforceValidity that is not a boolean", { enforceValidity: "no" as never }, "enforceValidity"],
    ])("throws CONFIG at once for %s", (_, options, variable) => {
      expect(() => provider(options)).toThrow(expect.objectContaining({ code: "CONFIG", variable }));
    });

    it.each([undefined, null, "https://my-vault.vault.azure.net"])(
      "throws CONFIG at once for options %p",
      (options) => {
        expect(() => fromAzureKeyVault(options as never)).toThrow(
          expect.objectContaining({ code: "CONFIG", variable: "options" }),
        );
      },
    );
  });
});

const template = (secretName: string): TenantTemplate =>
  secretNameTemplate(
    new ConfiguredValue(secretName, "name", { option: "secretName", factory: "fromAzureKeyVault" }),
    undefined,
    "my-vault.vault.azure.net",
  );

describe(secretNameTemplate.name, () => {
  describe("when the tenant id is used as is", () => {
    it("never gives two tenant ids one secret name, ignoring case as Key Vault does", () => {
      const names = template("oncehub-{tenant}");
      const nameOrNull = (tenant: string): string | null => {
        try {
          return names.nameFor(tenant).toLowerCase();
        } catch {
          return null;
        }
      };
      fc.assert(
        fc.property(
          // Pairs that differ only by case or by "_" versus "-" are where a naive mapping would collide.
          tenantId.chain((a) =>
            fc.tuple(
              fc.constant(a),
              fc.oneof(
                tenantId,
                fc.constant(a.toUpperCase()),
                fc.constant(a.toLowerCase()),
                fc.constant(a.replaceAll("-", "_")),
                fc.constant(a.replaceAll("_", "-")),
              ),
            ),
          ),
          ([a, b]) => {
            fc.pre(a !== b);
            const [nameA, nameB] = [nameOrNull(a), nameOrNull(b)];
            return nameA === null || nameB === null || nameA !== nameB;
          },
        ),
        { numRuns: 2_000 },
      );
    });

    it("maps every lower-case id without '_' that fits", () => {
      const names = template("oncehub-{tenant}");
      fc.assert(
        fc.property(
          fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,118}$/),
          (tenant) => names.nameFor(tenant) === `oncehub-${tenant}`,
        ),
      );
    });
  });
});
