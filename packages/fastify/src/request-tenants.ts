/**
 * The tenant each request's `request.oncehub` was resolved for, so that the error handler can tell an unknown
 * tenant (404) from a missing key of the server's own (500). Weak: a finished request leaves nothing behind.
 */
export const requestTenants: WeakMap<object, string> = new WeakMap();
