import type { FaultSpec, Sandbox } from "@oncekey/sandbox";

/**
 * Every kind of fault the sandbox injects, with what the client is expected to do about it: retry 429, the
 * retryable 5xx, resets and a slow server (a headers timeout); read a slow body; refuse a redirect to another origin
 * (the call fails, typed).
 */
export const FAULTS: readonly FaultSpec[] = [
  { kind: "status", status: 429 },
  { kind: "status", status: 500 },
  { kind: "status", status: 502 },
  { kind: "status", status: 503 },
  { kind: "status", status: 504 },
  { kind: "reset" },
  { kind: "delay", ms: 2_500 },
  { kind: "slow-body", ms: 200 },
  { kind: "redirect" },
];

/** A name per fault, for the report: `status 503`, `reset`, `delay 2500 ms`. */
export function faultName(spec: FaultSpec): string {
  switch (spec.kind) {
    case "status":
      return `status ${spec.status}`;
    case "delay":
    case "slow-body":
      return `${spec.kind} ${spec.ms} ms`;
    default:
      return spec.kind;
  }
}

/**
 * Injects every fault of {@link FAULTS} into `sandbox`, each on an equal share of `rate` of the requests, spread
 * evenly through the run (the sandbox's `fraction`); returns a function that tells how often each one fired.
 */
export function injectFaultMix(sandbox: Sandbox, rate: number): () => Record<string, number> {
  const share = rate / FAULTS.length;
  const injected = FAULTS.map((spec) => sandbox.faults.inject({ ...spec, fraction: share }));
  return () => Object.fromEntries(injected.map((fault) => [faultName(fault.spec), fault.hits]));
}
