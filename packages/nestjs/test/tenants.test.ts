import { describeTenantContract } from "@oncekey/test-support";
import { harness } from "./harness.js";

describeTenantContract(harness);
