import { request as httpsRequest, createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createTlsMaterial, startFakeKeyVault, type FakeKeyVault } from "@oncekey/sandbox";

/** The fake vault behind a front that also takes writes. */
export interface WritableVault {
  /** The URL to configure (`ONCEKEY_KEYVAULT_URL`): the front's. */
  readonly url: string;
  /** The front's CA. */
  readonly ca: string;
  /** The fake vault itself, for `setSecret` and its call log. */
  readonly vault: FakeKeyVault;
  /** The secret versions written through the front (`PUT /secrets/{name}`), name and value. */
  readonly writes: readonly { readonly name: string; readonly value: string }[];
  close(): Promise<void>;
}

const PUT_SECRET = /^\/secrets\/([A-Za-z0-9-]{1,127})$/;

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * `startFakeKeyVault()` serves Key Vault's reads only. The command writes a new secret version with the Azure
 * SDK's `setSecret` (`PUT /secrets/{name}`), so this front forwards every request to the fake vault (its 401
 * challenge included) and, for an authorised PUT, stores the value with the vault's own `setSecret` and answers
 * with the vault's own answer for the new version. Until the fake vault takes writes itself, this is the only
 * part of Key Vault the tests add.
 */
export async function startWritableVault(): Promise<WritableVault> {
  const vault = await startFakeKeyVault();
  const tls = await createTlsMaterial("oncekey cli test vault front");
  const writes: { name: string; value: string }[] = [];
  const target = new URL(vault.url);

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    payload: Buffer,
  ): void => {
    const upstream = httpsRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        ca: vault.ca,
        headers: { ...req.headers, host: target.host, "content-length": String(payload.length) },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    upstream.end(payload);
  };

  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    void body(req).then((payload) => {
      const url = new URL(req.url ?? "/", "https://front.invalid");
      const name = PUT_SECRET.exec(url.pathname)?.[1];
      if (req.method !== "PUT" || name === undefined || req.headers.authorization === undefined) {
        forward(req, res, req.method ?? "GET", req.url ?? "/", payload);
        return;
      }
      const { value, contentType, tags } = JSON.parse(payload.toString("utf8")) as {
        value: string;
        contentType?: string;
        tags?: Record<string, string>;
      };
      const version = vault.setSecret(name, value, {
        ...(contentType === undefined ? {} : { contentType }),
        ...(tags === undefined ? {} : { tags }),
      });
      writes.push({ name, value });
      // The vault's own SecretBundle for the new version, as Key Vault answers a set.
      forward(req, res, "GET", `/secrets/${name}/${version}${url.search}`, Buffer.alloc(0));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: tls.ca,
    vault,
    writes,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await vault.close();
    },
  };
}
