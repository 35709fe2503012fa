import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import diagnostics from "node:diagnostics_channel";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { eventChannelName, resolveKeyProvider, type KeyProvider, type OnceKeyEvent } from "@oncekey/core";
import { CANARY_KEYS, holdsKey, printedForms } from "@oncekey/sandbox";
import { dotenvSource, envSource, fromDotenv, fromEnv } from "../src/index.js";
import { rejectionOf, useTempDir } from "@oncekey/test-support";

const shapes = Object.entries(CANARY_KEYS);
/** Keys that are valid variable names, so ONCEKEY_ENV_VAR accepts them. */
const nameShapes = shapes.filter(([shape]) => shape === "base64url" || shape === "hex");

const events: unknown[] = [];
const onChannel = (message: unknown): void => void events.push(message);
const TYPES: OnceKeyEvent["type"][] = ["key:loaded", "key:warning", "key:stale", "key:rotated"];
beforeAll(() => TYPES.forEach((t) => diagnostics.subscribe(eventChannelName(t), onChannel)));
afterAll(() => TYPES.forEach((t) => diagnostics.unsubscribe(eventChannelName(t), onChannel)));

describe("a key pasted into the wrong setting", () => {
  const dir = useTempDir();
  const resolve = (env: Record<string, string | undefined>): KeyProvider =>
    dir.track(resolveKeyProvider(env, [envSource, dotenvSource]));

  describe("when it is ONCEKEY_ENV_VAR", () => {
    it.each(shapes)("never repeats the %s key, at start-up or at getKey", async (_shape, key) => {
      const outcome = await rejectionOf(
        Promise.resolve().then(() => resolve({ ONCEKEY_ENV_VAR: key }).getKey()),
      );
      expect(outcome).toMatchObject({ code: expect.stringMatching(/^(CONFIG|KEY_NOT_FOUND)$/) });
      expect(holdsKey(printedForms(outcome), key)).toBe(false);
    });

    it.each(nameShapes)("names ONCEKEY_ENV_VAR instead of the %s key", async (_shape, key) => {
      const error = await rejectionOf(resolve({ ONCEKEY_ENV_VAR: key }).getKey());
      expect(error).toMatchObject({
        code: "KEY_NOT_FOUND",
        source: "env:<ONCEKEY_ENV_VAR>",
        message: expect.stringMatching(
          /^The variable named by ONCEKEY_ENV_VAR \(a name of \d+ characters\) is not set\. .*if ONCEKEY_ENV_VAR holds the key itself, move the key to ONCEHUB_API_KEY/,
        ),
      });
    });

    it("never repeats the key from a per-tenant name built on it", async () => {
      const key = CANARY_KEYS.base64url;
      const keys = resolve({ ONCEKEY_ENV_VAR: `${key}_{tenant}` });
      for (const request of [undefined, { tenant: "acme" }, { tenant: "Acme_EU" }]) {
        const error = await rejectionOf(keys.getKey(request));
        expect(holdsKey(printedForms(error), key)).toBe(false);
      }
    });

    it("names a long variable in the usual upper-case form, which cannot be a key", async () => {
      const name = "MYCOMPANY_PRODUCTION_ONCEHUB_API_KEY";
      const key = await resolve({ ONCEKEY_ENV_VAR: name, [name]: "k-long-name-0123456789" }).getKey();
      expect(key.source).toBe(`env:${name}`);
      await expect(resolve({ ONCEKEY_ENV_VAR: name }).getKey()).rejects.toMatchObject({
        source: `env:${name}`,
        message: `${name} is not set. Set it to an OnceHub API key.`,
      });
    });

    it("does not name a long variable in another form: it speaks of ONCEKEY_ENV_VAR", async () => {
      const name = "MyCompany_Production_OnceHub_Api_Key";
      events.length = 0;
      const key = await resolve({ ONCEKEY_ENV_VAR: name, [name]: "k-long-name-0123456789" }).getKey();
      expect(key.source).toBe("env:<ONCEKEY_ENV_VAR>");
      expect(printedForms(key)).not.toContain(name);
      expect(events).not.toHaveLength(0);
      for (const event of events) expect(printedForms(event)).not.toContain(name);
    });

    it("still names a short variable as before", async () => {
      await expect(resolve({ ONCEKEY_ENV_VAR: "MY_ONCEHUB_KEY" }).getKey()).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
        source: "env:MY_ONCEHUB_KEY",
        message: "MY_ONCEHUB_KEY is not set. Set it to an OnceHub API key.",
      });
    });
  });

  describe("when it is ONCEKEY_DOTENV_PATH", () => {
    it.each(shapes)("never repeats the %s key, at start-up or at getKey", async (_shape, key) => {
      const error = await rejectionOf(
        resolve({ ONCEKEY_SOURCE: "dotenv", ONCEKEY_DOTENV_PATH: key }).getKey(),
      );
      expect(error).toMatchObject({
        code: "KEY_NOT_FOUND",
        source: "dotenv:<ONCEKEY_DOTENV_PATH>#ONCEHUB_API_KEY",
        message: expect.stringContaining(
          "No .env file found (looked for the .env file named by ONCEKEY_DOTENV_PATH (a relative path of " +
            `${key.length} characters, in the working directory ${process.cwd()})), so ONCEHUB_API_KEY is not set.`,
        ),
      });
      expect(holdsKey(printedForms(error), key)).toBe(false);
    });

    it("still quotes an absolute path and the default .env", async () => {
      const path = join(dir.path, "absent.env");
      await expect(
        resolve({ ONCEKEY_SOURCE: "dotenv", ONCEKEY_DOTENV_PATH: path }).getKey(),
      ).rejects.toMatchObject({
        source: `dotenv:${path}#ONCEHUB_API_KEY`,
        message: `No .env file found (looked for ${path}), so ONCEHUB_API_KEY is not set. Create the file, or point the path to it.`,
      });
      await expect(resolve({ ONCEKEY_SOURCE: "dotenv" }).getKey()).rejects.toMatchObject({
        source: "dotenv:.env#ONCEHUB_API_KEY",
      });
    });

    it("names ONCEKEY_ENV_VAR when the file lacks a variable whose name may be a key", async () => {
      const key = CANARY_KEYS.base64url;
      const path = join(dir.path, "oncehub.env");
      await writeFile(path, "OTHER=1\n");
      const error = await rejectionOf(
        resolve({ ONCEKEY_SOURCE: "dotenv", ONCEKEY_DOTENV_PATH: path, ONCEKEY_ENV_VAR: key }).getKey(),
      );
      expect(error).toMatchObject({
        source: `dotenv:${path}#<ONCEKEY_ENV_VAR>`,
        message: expect.stringContaining(
          `The variable named by ONCEKEY_ENV_VAR (a name of 45 characters) is not defined in ${path}.`,
        ),
      });
      expect(holdsKey(printedForms(error), key)).toBe(false);
    });
  });

  describe("when it is an option of fromEnv or fromDotenv", () => {
    it.each(shapes)(
      "never repeats the %s key passed as fromEnv's variable, at once or at getKey",
      async (_shape, key) => {
        const outcome = await rejectionOf(
          Promise.resolve().then(() => dir.track(fromEnv({ variable: key, env: {} })).getKey()),
        );
        expect(outcome).toMatchObject({ code: expect.stringMatching(/^(CONFIG|KEY_NOT_FOUND)$/) });
        expect(holdsKey(printedForms(outcome), key)).toBe(false);
      },
    );

    it("speaks of the option in code, not of variables to unset, in place of a name it does not repeat", async () => {
      const key = CANARY_KEYS.base64url;
      const error = await rejectionOf(dir.track(fromEnv({ variable: key, env: {} })).getKey());
      expect(error).toMatchObject({
        code: "KEY_NOT_FOUND",
        source: "env:<the variable option>",
        message:
          "The variable named by the variable option of fromEnv (a name of 45 characters) is not set. Set it to an " +
          "OnceHub API key, or, if the variable option of fromEnv holds the key itself, pass the name of the " +
          "variable that holds the key instead.",
      });
    });

    it("names a variable in the usual upper-case form, however long", async () => {
      const name = "ACME_BILLING_SERVICE_ONCEHUB_API_KEY";
      await expect(dir.track(fromEnv({ variable: name, env: {} })).getKey()).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
        source: `env:${name}`,
        message: `${name} is not set. Set it to an OnceHub API key.`,
      });
    });

    it.each(shapes)("never repeats the %s key passed as fromDotenv's path", async (_shape, key) => {
      const error = await rejectionOf(dir.track(fromDotenv({ path: key, watch: false })).getKey());
      expect(error).toMatchObject({
        code: "KEY_NOT_FOUND",
        source: "dotenv:<the path option>#ONCEHUB_API_KEY",
      });
      expect(holdsKey(printedForms(error), key)).toBe(false);
    });

    it("numbers each path it does not repeat in a list", async () => {
      const path = join(dir.path, "absent.env");
      const error = await rejectionOf(
        dir.track(fromDotenv({ path: [path, CANARY_KEYS.dashed], watch: false })).getKey(),
      );
      expect(error).toMatchObject({ source: `dotenv:${path}, <the path option entry 2>#ONCEHUB_API_KEY` });
    });

    it("never repeats a key holding {tenant} passed as a path", () => {
      const key = CANARY_KEYS.base64;
      let error: unknown;
      try {
        fromDotenv({ path: `${key}{tenant}` });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toMatchObject({ code: "CONFIG", variable: "path" });
      expect(holdsKey(printedForms(error), key)).toBe(false);
    });
  });
});
