import {
  describeConfigValue,
  quotableConfigValue,
  type ConfigValueShape,
} from "../config/quotable-config-value.js";
import { ConfigError } from "../errors/config-error.js";

/**
 * Where a key source's value was set: an option passed in code, or, for a source built from configuration, the
 * variable that gave it.
 *
 * @example
 * ```ts
 * const origin: SettingOrigin = { option: "variable", factory: "fromEnv", variable: "ONCEKEY_ENV_VAR" };
 * ```
 */
export interface SettingOrigin {
  /** The option, e.g. `variable`. */
  readonly option: string;
  /** The factory that took it, e.g. `fromEnv`. */
  readonly factory: string;
  /** The configuration variable that gave it, e.g. `ONCEKEY_ENV_VAR`; absent for an option passed in code. */
  readonly variable?: string | undefined;
  /** The value's place in a setting that lists several (`path: [".env.local", ".env"]`), from 1. */
  readonly entry?: number | undefined;
}

/**
 * A name, path or URL that a key source was configured with, and how messages speak of it without repeating a
 * value that could be a key pasted in the wrong place (the rule is {@link quotableConfigValue}'s).
 *
 * A value passed in code is spoken of as code ("the variable option of fromEnv"); one from configuration as its
 * variable (`ONCEKEY_ENV_VAR`), so a message tells the reader which of the two to fix.
 *
 * @example
 * ```ts
 * const variable = new ConfiguredValue(name, "name", { option: "variable", factory: "fromEnv" });
 * throw new KeyNotFoundError(`${variable.spoken()} is not set.`, { source: `env:${variable.shown()}` });
 * ```
 */
export class ConfiguredValue {
  /** The value as configured. */
  readonly value: string;
  /** Whether messages and sources may repeat the value. */
  readonly quoted: boolean;
  /** The setting that gave the value: `ONCEKEY_ENV_VAR`, or `the variable option of fromEnv`. */
  readonly setting: string;
  /** Whether the value came from a configuration variable rather than from code. */
  readonly fromConfig: boolean;
  /** What a `ConfigError` about the value names in `variable`: the configuration variable, or the option. */
  readonly variable: string;
  readonly #shape: ConfigValueShape;
  readonly #placeholder: string;
  readonly #subject: string;
  /** The working directory a relative path is taken from, as it was when the path was configured. */
  readonly #cwd: string;

  /**
   * @param value - The value as configured.
   * @param shape - What it is meant to be.
   * @param origin - {@link SettingOrigin}.
   */
  constructor(value: string, shape: ConfigValueShape, origin: SettingOrigin) {
    this.value = value;
    this.quoted = quotableConfigValue(value, shape) !== undefined;
    this.fromConfig = origin.variable !== undefined;
    this.variable = origin.variable ?? origin.option;
    this.#subject = origin.variable ?? `${origin.factory}: the ${origin.option} option`;
    const entry = origin.entry === undefined ? "" : ` entry ${origin.entry}`;
    this.setting = origin.variable ?? `the ${origin.option} option of ${origin.factory}`;
    if (entry !== "") this.setting = `${entry.trim()} of ${this.setting}`;
    this.#shape = shape;
    this.#placeholder = `<${origin.variable ?? `the ${origin.option} option`}${entry}>`;
    this.#cwd = process.cwd();
  }

  /**
   * How a `source` string shows `derived` (the value itself, or a name made from it, such as a tenant's variable):
   * itself when the value may be repeated, else the setting in angle brackets, `<ONCEKEY_ENV_VAR>` or
   * `<the variable option>`.
   *
   * @param derived - The text to show, made from the value. @defaultValue the value
   */
  shown(derived: string = this.value): string {
    return this.quoted ? derived : this.#placeholder;
  }

  /**
   * How a sentence names `derived`: itself when the value may be repeated, else by its setting, described without a
   * character of it: "the variable named by ONCEKEY_ENV_VAR (a name of 45 characters)", "the file named by the path
   * option of fromFile (a relative path of 43 characters, in the working directory /srv/app)".
   *
   * @param noun - What the value names, e.g. `variable`, `key file`.
   * @param derived - The text to show, made from the value. @defaultValue the value
   */
  spoken(noun: string, derived: string = this.value): string {
    return this.quoted ? derived : `the ${noun} named by ${this.setting} (${this.described()})`;
  }

  /**
   * A noun phrase for `derived` in a sentence: "the key file /run/secrets/oncehub", or, when the value may not be
   * repeated, "the key file named by the path option of fromFile (a relative path of 43 characters, in the working
   * directory /srv/app)".
   *
   * @param noun - What the value names, e.g. `key file`.
   * @param derived - The text to show, made from the value. @defaultValue the value
   */
  phrase(noun: string, derived: string = this.value): string {
    return this.quoted ? `the ${noun} ${derived}` : this.spoken(noun, derived);
  }

  /**
   * A {@link ConfigError} about the value: `ONCEKEY_ENV_VAR holds {tenant} more than once …` for configuration,
   * `fromEnv: the variable option holds {tenant} more than once …` for code.
   *
   * @param problem - What is wrong and what to do, as the rest of a sentence about the setting.
   */
  error(problem: string): ConfigError {
    return new ConfigError(`${this.#subject} ${problem}`, { variable: this.variable });
  }

  /**
   * The value described without a character of it: `a name of 45 characters`, `a relative path of 43 characters,
   * in the working directory /srv/app` (the directory it is taken from, which holds no key).
   */
  described(): string {
    const description = describeConfigValue(this.value, this.#shape);
    return description.startsWith("a relative path")
      ? `${description}, in the working directory ${this.#cwd}`
      : description;
  }
}
