// "@oncekey/nestjs/terminus": the OnceHub health check as a @nestjs/terminus indicator, for apps that use
// terminus (an optional peer dependency: nothing else in the package imports it).
export { OnceHubHealthIndicator } from "./terminus/once-hub-health-indicator.js";
