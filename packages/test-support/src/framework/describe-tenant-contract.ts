import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { fromFile } from "@oncekey/file";
import { createTenants, regenerateKey, type Tenant } from "../tenants/create-tenants.js";
import { keyDirectory, writeKeyFile, type KeyDirectory } from "../tenants/key-directory.js";
import { runLimited } from "../run-limited.js";
import { seeded } from "../seeded.js";
import { sandboxTransportOptions, useSandbox } from "../use-sandbox.js";
import { CONTRACT_TENANT_DOMAIN, type FrameworkApp, type FrameworkHarness } from "./framework-harness.js";

const REQUESTS = 1_000;
/** A bound for a run of real requests on a loaded machine, never a measurement. */
const RUN_TIMEOUT_MS = 120_000;

/**
 * The tenant behaviour every framework integration must show, against its contract app and a sandbox: two
 * tenants' 1,000 interleaved requests through the header, route and host forms each reach OnceHub with their own
 * tenant's key (zero mismatches), and a key regenerated and its file rewritten in the middle of a run fails no
 * request.
 *
 * @param harness - The framework's {@link FrameworkHarness}.
 * @example
 * ```ts
 * // packages/express/test/tenants.test.ts
 * describeTenantContract(harness);
 * ```
 */
export function describeTenantContract(harness: FrameworkHarness): void {
  describe(harness.subjects.tenants, () => {
    const sandbox = useSandbox();
    let dir: KeyDirectory;
    let running: FrameworkApp;
    let a: Tenant;
    let b: Tenant;

    beforeAll(async () => {
      dir = await keyDirectory();
      [a, b] = (await createTenants(sandbox(), dir.path, ["tenant-a", "tenant-b"])) as [Tenant, Tenant];
      running = await harness.start({
        client: {
          keys: fromFile({ path: join(dir.path, "{tenant}") }),
          ...sandboxTransportOptions(sandbox()),
          // OnceHub refuses a regenerated key at once; the file is rewritten a moment later.
          rotation: { waitForNewKeyMs: 10_000, pollIntervalMs: 20 },
        },
      });
    });

    afterAll(async () => {
      await running.close();
      await dir.remove();
    });

    /** The three ways the contract app reads a tenant, each as a request for `tenant` with `probe`. */
    const forms = {
      header: (tenant: string, probe: string) =>
        running.call(`/h/account?probe=${probe}`, { headers: { "x-tenant": tenant } }),
      param: (tenant: string, probe: string) => running.call(`/p/tenants/${tenant}/account?probe=${probe}`),
      subdomain: (tenant: string, probe: string) =>
        running.call(`/s/account?probe=${probe}`, {
          headers: { host: `${tenant}.${CONTRACT_TENANT_DOMAIN}` },
        }),
    };

    describe(`when two tenants send ${REQUESTS} interleaved requests through the header, route and host forms`, () => {
      it(
        "sends every request to OnceHub with its own tenant's key",
        async () => {
          const next = seeded(13);
          const plan = Array.from({ length: REQUESTS }, (_, i) => ({
            probe: `p${i}`,
            tenant: next() < 0.5 ? a : b,
            form: (["header", "param", "subdomain"] as const)[Math.floor(next() * 3)] ?? "header",
          }));
          sandbox().requests.clear();

          const answers = await runLimited(
            plan.map((step) => () => forms[step.form](step.tenant.id, step.probe)),
            32,
          );

          const log = new Map(
            sandbox()
              .requests.all()
              .map((entry) => [entry.query.probe, entry]),
          );
          const mismatches = plan.filter((step, i) => {
            const entry = log.get(step.probe);
            const answer = answers[i];
            return (
              answer?.status !== 200 ||
              (answer.json as { message?: string }).message !==
                `The API key is valid for account: ${step.tenant.email}` ||
              entry?.fingerprint !== step.tenant.fingerprint ||
              entry.accountId !== step.tenant.accountId
            );
          });
          expect(log.size).toBe(REQUESTS);
          expect(mismatches).toEqual([]);
          expect(new Set(plan.map((step) => step.form))).toEqual(new Set(["header", "param", "subdomain"]));
          expect(plan.filter((step) => step.tenant === a).length).toBeGreaterThan(400);
          expect(plan.filter((step) => step.tenant === b).length).toBeGreaterThan(400);
        },
        RUN_TIMEOUT_MS,
      );
    });

    describe("when a tenant's key is regenerated and its file rewritten in the middle of a run", () => {
      it(
        "fails no request",
        async () => {
          const total = 400;
          let done = 0;
          sandbox().requests.clear();
          const before = a.fingerprint;
          let rotated: Promise<void> | undefined;

          const answers = await runLimited(
            Array.from({ length: total }, (_, i) => async () => {
              const answer = await forms.header(i % 4 === 0 ? b.id : a.id, `r${i}`);
              done += 1;
              if (done === 100) {
                // OnceHub refuses the old key from now on; the key file changes only once a refusal was seen.
                const { fresh } = regenerateKey(sandbox(), a);
                rotated = (async () => {
                  while (sandbox().requests.count({ fingerprint: before, status: 401 }) === 0) {
                    await new Promise((resolve) => setTimeout(resolve, 5));
                  }
                  await writeKeyFile(join(dir.path, a.id), fresh);
                })();
              }
              return answer;
            }),
            16,
          );
          await rotated;

          const failed = answers.filter((answer) => answer.status !== 200);
          expect(failed).toEqual([]);
          expect(answers).toHaveLength(total);
          expect(sandbox().requests.count({ fingerprint: before, status: 401 })).toBeGreaterThan(0);
          expect(sandbox().requests.count({ fingerprint: a.fingerprint, status: 200 })).toBeGreaterThan(0);
        },
        RUN_TIMEOUT_MS,
      );
    });
  });
}
