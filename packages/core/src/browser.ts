/**
 * What bundlers load for `@oncekey/core` under the `browser` condition: an error at import, because the package
 * sends OnceHub API keys and a key that reaches a browser is public.
 */
throw new Error(
  "@oncekey/core is server-side only: the API key must never reach a browser. Call OnceHub from your server " +
    "(a route or function of your own) and send the browser only the data it needs.",
);

export {};
