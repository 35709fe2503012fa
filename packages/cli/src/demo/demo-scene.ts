import type { OnceHubClient, OnceKeyEvent } from "@oncekey/core";
import type { Sandbox } from "@oncekey/sandbox";

/**
 * What every scene of the demo works with: the sandbox, the client once the first scene made it, the key file,
 * the events seen so far, and how to tell the story.
 *
 * @example
 * ```ts
 * async function bookingsScene(demo: DemoScene): Promise<void> {
 *   demo.step("Bookings");
 * }
 * ```
 */
export interface DemoScene {
  /** The sandbox standing in for OnceHub: the caller's, still running when the scenes end. */
  readonly sandbox: Sandbox;
  /** The directory of the key file and the CA, removed when the demo ends. */
  readonly dir: string;
  /** The key file the client reads. */
  readonly keyFile: string;
  /** The sandbox key the key file holds now (sandbox keys only: the demo's own). */
  readonly fileKey: string;
  /** Every key event so far, in order. */
  readonly events: readonly OnceKeyEvent[];
  /** Set by the configuration scene; the scenes after it use it. */
  client: OnceHubClient | undefined;
  /** Prints a line. */
  say(text?: string): void;
  /** Prints a scene's title. */
  step(text: string): void;
  /**
   * Writes the key file the way tools do it: a temp file with owner-only permissions, then a rename; `fileKey`
   * follows.
   */
  writeKey(key: string): void;
  /** Runs `action` after `ms`, unless the demo ended first. */
  later(action: () => void, ms: number): void;
}
