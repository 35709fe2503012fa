import { afterAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { TEST_CA_PEM } from "./fixtures/test-ca.js";
import {
  ApiKey,
  cached,
  ConfigError,
  KeyNotFoundError,
  loadConfig,
  resolveKeyProvider,
  type KeySource,
} from "../src/index.js";
import { DEFAULT_BASE_URL } from "../src/config/parse-base-url.js";
import { keyProviderFromConfig, rejectTenantTemplate, requireConfigVariable } from "../src/source.js";

/** A minimal source that reads a variable named by ONCEKEY_TEST_VAR from the configuration's env. */
function variableSource(name: string, variable: string): KeySource {
  return {
    name,
    variables: [variable],
    fromConfig: (config) => {
      const v = requireConfigVariable(config, variable, {
        source: name,
        example: "SOME_VAR",
        tenantTemplate: false,
      });
      return cached({
        name,
        getKey: async () => {
          const raw = config.env[v];
          if (raw === undefined) throw new KeyNotFoundError(`${v} is not set.`, { source: `${name}:${v}` });
          return ApiKey.from(raw, { source: `${name}:${v}` });
        },
      });
    },
  };
}

const env = variableSource("env", "TEST_ENV_VAR");
const file = variableSource("file", "TEST_FILE_VAR");

describe(loadConfig.name, () => {
  it("defaults to the env source and OnceHub's base URL", () => {
    const config = loadConfig({});
    expect(config.sources).toEqual(["env"]);
    expect(config.baseUrl).toBe(DEFAULT_BASE_URL);
    expect(config.ca).toBeUndefined();
  });

  it("reads a comma list in order, ignoring spaces", () => {
    expect(loadConfig({ ONCEKEY_SOURCE: " file , env " }).sources).toEqual(["file", "env"]);
  });

  it("keeps the variables for the sources, hiding their values when printed", () => {
    const config = loadConfig({ ONCEHUB_API_KEY: "k-secret-value" });
    expect(config.env.ONCEHUB_API_KEY).toBe("k-secret-value");
    expect(Object.isFrozen(config.env)).toBe(true);
    expect(JSON.stringify(config)).toContain('"ONCEHUB_API_KEY":"[redacted]"');
    expect(JSON.stringify(config)).not.toContain("k-secret-value");
    expect(inspect(config, { showHidden: true })).not.toContain("k-secret-value");
  });

  it("normalises the base URL", () => {
    expect(loadConfig({ ONCEHUB_BASE_URL: "https://127.0.0.1:8443/v2/" }).baseUrl).toBe(
      "https://127.0.0.1:8443/v2",
    );
  });

  it("reads the CA file", () => {
    const dir = mkdtempSync(join(tmpdir(), "oncekey-config-"));
    try {
      const pem = TEST_CA_PEM;
      writeFileSync(join(dir, "ca.pem"), pem);
      const config = loadConfig({ ONCEKEY_CA_FILE: join(dir, "ca.pem") });
      expect(config.ca).toBe(pem);
      expect(config.caFile).toBe(join(dir, "ca.pem"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("when the configuration is wrong", () => {
    const dir = mkdtempSync(join(tmpdir(), "oncekey-config-"));
    writeFileSync(join(dir, "not-a-cert.pem"), "hello");
    writeFileSync(
      join(dir, "broken-cert.pem"),
      "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n",
    );
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each([
      [
        "an unknown source",
        { ONCEKEY_SOURCE: "vault" },
        "ONCEKEY_SOURCE",
        /"vault", which is not a key source\. Use one of env, dotenv, file, azure-keyvault/,
      ],
      [
        "a malformed list",
        { ONCEKEY_SOURCE: "file,,env" },
        "ONCEKEY_SOURCE",
        /not a list of source names: entry 2 is empty/,
      ],
      [
        "a value that is not a name",
        { ONCEKEY_SOURCE: "Xy7-secret-looking-Value" },
        "ONCEKEY_SOURCE",
        /entry 1 is not a lower-case name/,
      ],
      ["a duplicate", { ONCEKEY_SOURCE: "env,env" }, "ONCEKEY_SOURCE", /names a source twice/],
      [
        "a base URL that is not a URL",
        { ONCEHUB_BASE_URL: "api.oncehub.com" },
        "ONCEHUB_BASE_URL",
        /is not a URL/,
      ],
      [
        "an http base URL",
        { ONCEHUB_BASE_URL: "http://api.oncehub.com/v2" },
        "ONCEHUB_BASE_URL",
        /uses http, but the API key may only travel over https/,
      ],
      [
        "credentials in the base URL",
        { ONCEHUB_BASE_URL: "https://u:p@api.oncehub.com/v2" },
        "ONCEHUB_BASE_URL",
        /must not hold credentials/,
      ],
      [
        "a missing CA file",
        { ONCEKEY_CA_FILE: join(dir, "absent.pem") },
        "ONCEKEY_CA_FILE",
        /cannot be read \(ENOENT\)/,
      ],
      [
        "a CA file without certificate",
        { ONCEKEY_CA_FILE: join(dir, "not-a-cert.pem") },
        "ONCEKEY_CA_FILE",
        /holds no PEM certificate/,
      ],
      [
        "a CA file whose certificate cannot be read",
        { ONCEKEY_CA_FILE: join(dir, "broken-cert.pem") },
        "ONCEKEY_CA_FILE",
        /certificate that cannot be read/,
      ],
    ])("fails on %s with a ConfigError naming the variable", (_name, vars, variable, message) => {
      expect(() => loadConfig(vars)).toThrow(message);
      expect(() => loadConfig(vars)).toThrow(expect.objectContaining({ code: "CONFIG", variable }));
    });

    it("says which package to install when a known source is not registered", () => {
      expect(() => loadConfig({ ONCEKEY_SOURCE: "azure-keyvault" }, { sources: [env] })).toThrow(
        /"azure-keyvault", but that source is not registered\. Install @oncekey\/azure-keyvault and pass its azureKeyVaultSource/,
      );
    });

    it("lists the registered sources for an unknown name", () => {
      expect(() => loadConfig({ ONCEKEY_SOURCE: "mine" }, { sources: [env, file] })).toThrow(
        /"mine", which is not a key source\. Use one of env, file\./,
      );
    });
  });
});

describe(resolveKeyProvider.name, () => {
  it("says what it needs when the environment or the sources are not what it takes", () => {
    expect(() => resolveKeyProvider(null as never, [env])).toThrow(
      expect.objectContaining({ code: "CONFIG", message: expect.stringContaining("process.env") }),
    );
    expect(() => loadConfig(undefined as never)).toThrow(expect.objectContaining({ code: "CONFIG" }));
    expect(() => resolveKeyProvider({}, null as never)).toThrow(
      expect.objectContaining({ code: "CONFIG", message: expect.stringContaining("KeySource") }),
    );
  });

  it("builds the named source", async () => {
    const keys = resolveKeyProvider({ ONCEKEY_SOURCE: "env", TEST_ENV_VAR: "MY_KEY", MY_KEY: "k-1" }, [
      env,
      file,
    ]);
    expect((await keys.getKey()).source).toBe("env:MY_KEY");
  });

  it("builds a chain for a comma list, falling through on 'not found'", async () => {
    const keys = resolveKeyProvider(
      { ONCEKEY_SOURCE: "file,env", TEST_FILE_VAR: "ABSENT", TEST_ENV_VAR: "MY_KEY", MY_KEY: "k-2" },
      [env, file],
    );
    expect(keys.name).toBe("chain(file,env)");
    const key = await keys.getKey();
    expect(key.reveal()).toBe("k-2");
    expect(key.source).toBe("env:MY_KEY");
  });

  it("reads only the env object it is given", async () => {
    process.env.TEST_ENV_VAR = "LEAKED";
    try {
      expect(() => resolveKeyProvider({ ONCEKEY_SOURCE: "env" }, [env])).toThrow(/TEST_ENV_VAR is not set/);
    } finally {
      delete process.env.TEST_ENV_VAR;
    }
  });

  it("builds a new provider on each call", () => {
    const vars = { TEST_ENV_VAR: "MY_KEY" };
    expect(resolveKeyProvider(vars, [env])).not.toBe(resolveKeyProvider(vars, [env]));
  });

  it("fails at once, naming the source's missing variable", () => {
    expect(() => resolveKeyProvider({ ONCEKEY_SOURCE: "file,env", TEST_ENV_VAR: "X" }, [env, file])).toThrow(
      expect.objectContaining({
        code: "CONFIG",
        variable: "TEST_FILE_VAR",
        message: expect.stringMatching(
          /ONCEKEY_SOURCE includes "file", but TEST_FILE_VAR is not set\. Set TEST_FILE_VAR/,
        ),
      }),
    );
  });

  it("refuses a {tenant} template where the source cannot take one", () => {
    expect(() => resolveKeyProvider({ TEST_ENV_VAR: "KEY_{tenant}" }, [env])).toThrow(
      expect.objectContaining({
        code: "CONFIG",
        variable: "TEST_ENV_VAR",
        message: expect.stringMatching(/holds "\{tenant\}"/),
      }),
    );
    expect(() => rejectTenantTemplate("/keys/{tenant}", "ONCEKEY_DOTENV_PATH", "dotenv")).toThrow(
      ConfigError,
    );
  });
});

describe(keyProviderFromConfig.name, () => {
  it("builds the provider of a configuration read once", async () => {
    const vars = {
      ONCEKEY_SOURCE: "file,env",
      TEST_FILE_VAR: "ABSENT",
      TEST_ENV_VAR: "MY_KEY",
      MY_KEY: "k-3",
    };
    const config = loadConfig(vars, { sources: [env, file] });
    expect((await keyProviderFromConfig(config, [env, file]).getKey()).reveal()).toBe("k-3");
  });

  it("closes the links it built when a later one fails", async () => {
    const closed: string[] = [];
    const closing = (name: string): KeySource => ({
      name,
      fromConfig: () => ({
        name,
        getKey: () => Promise.reject(new Error("unused")),
        close: async () => void closed.push(name),
      }),
    });
    const failing: KeySource = {
      name: "file",
      fromConfig: () => {
        throw new ConfigError("ONCEKEY_FILE_PATH is not set.", { variable: "ONCEKEY_FILE_PATH" });
      },
    };
    const config = loadConfig({ ONCEKEY_SOURCE: "env,dotenv,file" });
    const sources = [closing("env"), closing("dotenv"), failing];
    expect(() => keyProviderFromConfig(config, sources)).toThrow(
      expect.objectContaining({ variable: "ONCEKEY_FILE_PATH" }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toEqual(["env", "dotenv"]);
  });

  it("refuses a configuration that names a source it is not given", () => {
    const config = loadConfig({ ONCEKEY_SOURCE: "file" });
    expect(() => keyProviderFromConfig(config, [env])).toThrow(
      expect.objectContaining({ code: "CONFIG", variable: "ONCEKEY_SOURCE" }),
    );
  });
});
