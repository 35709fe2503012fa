import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A local stand-in for Azure App Service's managed identity endpoint. */
export interface IdentityEndpoint {
  /** The variables that make `DefaultAzureCredential` of a child process ask this endpoint for its tokens. */
  readonly env: Readonly<Record<string, string>>;
  /** How many tokens it handed out. */
  readonly issued: number;
  close(): Promise<void>;
}

/**
 * Serves tokens the way App Service's managed identity endpoint does (`GET ?api-version=2019-08-01&resource=…`
 * with the `X-IDENTITY-HEADER` secret; `{ access_token, expires_on, resource, token_type }`), so the command's
 * real `DefaultAzureCredential`, run in a child process, gets a token for the fake vault (which accepts any).
 * Plain HTTP on loopback, as App Service's endpoint is.
 */
export async function startIdentityEndpoint(): Promise<IdentityEndpoint> {
  const secret = "identity-header-for-tests";
  let issued = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.headers["x-identity-header"] !== secret || !url.searchParams.get("resource")) {
      res.writeHead(400, { "content-type": "application/json" }).end('{"error":"bad_request"}');
      return;
    }
    issued++;
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        access_token: `token-${issued}`,
        expires_on: String(Math.floor(Date.now() / 1000) + 3_600),
        resource: url.searchParams.get("resource"),
        token_type: "Bearer",
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: {
      IDENTITY_ENDPOINT: `http://127.0.0.1:${port}/msi/token`,
      IDENTITY_HEADER: secret,
      // Managed identity only: no Azure CLI, PowerShell or VS Code lookups on the test machine.
      AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential",
    },
    get issued() {
      return issued;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
