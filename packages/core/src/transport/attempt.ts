import type { ApiKey } from "../key/api-key.js";
import type { CallKeys } from "./redact-key.js";

/** One exchange of a call, and what the call has used up before it. */
export interface Attempt {
  readonly key: ApiKey;
  readonly method: string;
  readonly target: string;
  readonly body: string | undefined;
  /** 1 for the first exchange of the call. */
  readonly number: number;
  readonly retries: number;
  readonly redirects: number;
  /** Whether the call was already replayed with a new key after a 401. */
  readonly replayed: boolean;
  /** Every key the call has sent so far, this one included. */
  readonly keys: CallKeys;
}
