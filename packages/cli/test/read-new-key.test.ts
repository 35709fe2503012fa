import { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import { rejectionOf } from "@oncekey/test-support";
import type { CommandInput } from "../src/cli/command-io.js";
import { readNewKey } from "../src/rotate/read-new-key.js";

/** A terminal's input as Node gives it (`isTTY`, `setRawMode`), fed by the test; records the raw-mode changes. */
class TerminalInput extends EventEmitter {
  readonly isTTY = true;
  readonly rawModes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    throw new Error("a terminal is read through raw mode, not to its end");
  }
  type(text: string): void {
    this.emit("data", Buffer.from(text));
  }
}

const prompt = (): { text: string; write(chunk: string): boolean } => ({
  text: "",
  write(chunk: string) {
    this.text += chunk;
    return true;
  },
});

describe(readNewKey.name, () => {
  describe("on a terminal", () => {
    it("turns raw mode on before the prompt and off after Enter, editing with Backspace", async () => {
      const input = new TerminalInput();
      const stderr = prompt();
      const reading = readNewKey(input as unknown as CommandInput, stderr);
      expect(input.rawModes).toEqual([true]);
      expect(stderr.text).toBe("New OnceHub API key (typing is hidden): ");

      input.type("key-1234x\u007f5\r");

      await expect(reading).resolves.toBe("key-12345");
      expect(input.rawModes).toEqual([true, false]);
      expect(stderr.text).toBe("New OnceHub API key (typing is hidden): \n");
    });

    it("gives up on Ctrl+C, restoring the terminal", async () => {
      const input = new TerminalInput();
      const reading = readNewKey(input as unknown as CommandInput, prompt());
      input.type("secret\u0003");
      expect(await rejectionOf(reading)).toMatchObject({ code: "INTERRUPTED" });
      expect(input.rawModes).toEqual([true, false]);
    });

    it("takes Ctrl+D on an empty line as no key", async () => {
      const input = new TerminalInput();
      const reading = readNewKey(input as unknown as CommandInput, prompt());
      input.type("\u0004");
      expect(await rejectionOf(reading)).toMatchObject({ code: "NO_NEW_KEY" });
      expect(input.rawModes).toEqual([true, false]);
    });
  });

  describe("from a pipe or a file", () => {
    const piped = (...chunks: string[]): CommandInput =>
      Readable.from(chunks.map((c) => Buffer.from(c))) as unknown as CommandInput;

    it.each([
      ["a key alone", ["key-1"], "key-1"],
      ["a trailing LF", ["key-1\n"], "key-1"],
      ["a trailing CRLF", ["key-1\r\n"], "key-1"],
      ["chunks", ["ke", "y-1", "\n"], "key-1"],
      ["more lines, left for the key check to refuse", ["key-1\nkey-2\n"], "key-1\nkey-2"],
    ])("reads %s", async (_, chunks, expected) => {
      await expect(readNewKey(piped(...chunks), prompt())).resolves.toBe(expected);
    });

    it("refuses empty input and input far longer than a key", async () => {
      expect(await rejectionOf(readNewKey(piped(""), prompt()))).toMatchObject({ code: "NO_NEW_KEY" });
      expect(await rejectionOf(readNewKey(piped("x".repeat(5_000)), prompt()))).toMatchObject({
        code: "NO_NEW_KEY",
      });
    });

    it("prompts for nothing", async () => {
      const stderr = prompt();
      await readNewKey(piped("key-1\n"), stderr);
      expect(stderr.text).toBe("");
    });
  });
});
