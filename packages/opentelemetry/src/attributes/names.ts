// The names this package exports under. The HTTP ones are the stable OpenTelemetry semantic conventions (checked
// against @opentelemetry/semantic-conventions by the tests, which is why that package is not a dependency); the
// `oncekey.*` ones are this package's own, listed in the README.

/** Stable HTTP and server attributes of the semantic conventions. */
export const ATTR_HTTP_REQUEST_METHOD = "http.request.method";
export const ATTR_HTTP_REQUEST_METHOD_ORIGINAL = "http.request.method_original";
export const ATTR_HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
export const ATTR_HTTP_REQUEST_RESEND_COUNT = "http.request.resend_count";
export const ATTR_SERVER_ADDRESS = "server.address";
export const ATTR_SERVER_PORT = "server.port";
export const ATTR_URL_FULL = "url.full";
export const ATTR_ERROR_TYPE = "error.type";

/** The HTTP client duration histogram of the semantic conventions. */
export const METRIC_HTTP_CLIENT_REQUEST_DURATION = "http.client.request.duration";

/** oncekey's own attributes. */
export const ATTR_KEY_FINGERPRINT = "oncekey.key.fingerprint";
export const ATTR_KEY_PREVIOUS_FINGERPRINT = "oncekey.key.previous_fingerprint";
export const ATTR_KEY_PROVIDER = "oncekey.key.provider";
export const ATTR_KEY_LOAD_REASON = "oncekey.key.load.reason";
export const ATTR_KEY_WARNING_CODE = "oncekey.key.warning.code";
export const ATTR_RETRY_DELAY_MS = "oncekey.retry.delay_ms";
export const ATTR_DURATION_MS = "oncekey.duration_ms";
export const ATTR_PACING_WAIT_MS = "oncekey.pacing.wait_ms";
/** The tenant's attribute when `tenantAttribute: true`. */
export const DEFAULT_TENANT_ATTRIBUTE = "oncekey.tenant";

/** oncekey's own metrics. */
export const METRIC_REQUESTS = "oncekey.requests";
export const METRIC_RETRIES = "oncekey.retries";
export const METRIC_KEY_REJECTIONS = "oncekey.key.rejections";
export const METRIC_KEY_LOADS = "oncekey.key.loads";
export const METRIC_KEY_LOAD_DURATION = "oncekey.key.load.duration";
export const METRIC_KEY_ROTATIONS = "oncekey.key.rotations";
export const METRIC_KEY_STALE_SERVES = "oncekey.key.stale_serves";
export const METRIC_KEY_WARNINGS = "oncekey.key.warnings";
export const METRIC_PACING_WAIT = "oncekey.pacing.wait.duration";

/** Span events. */
export const EVENT_RETRY = "oncekey.retry";
export const EVENT_KEY_REJECTED = "oncekey.key.rejected";
export const EVENT_KEY_LOADED = "oncekey.key.loaded";
export const EVENT_KEY_ROTATED = "oncekey.key.rotated";
export const EVENT_KEY_STALE = "oncekey.key.stale";
export const EVENT_PACED = "oncekey.paced";

/** The bucket boundaries the semantic conventions advise for HTTP durations, in seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
