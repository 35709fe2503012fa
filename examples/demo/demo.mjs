// The tour of oncekey against the local OnceHub sandbox. Its story lives in @oncekey/cli, so the root `pnpm demo`
// and the installed command (`npx oncekey demo`) tell the same one: the key source chosen by configuration, a key
// file rotated the way OnceHub recommends and the legacy way, a signed webhook, and what the logs see of the key.
import { runDemo } from "@oncekey/cli";

await runDemo();
