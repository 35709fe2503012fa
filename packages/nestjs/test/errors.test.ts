import { describeErrorContract } from "@oncekey/test-support";
import { harness } from "./harness.js";

describeErrorContract(harness);
