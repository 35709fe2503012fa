import { describe, expect, it } from "@jest/globals";
import { NetworkError } from "@oncekey/core";
import { describeErrorContract, thrownBy } from "@oncekey/test-support";
import type { ArgumentsHost } from "@nestjs/common";
import type { HttpAdapterHost } from "@nestjs/core";
import { OnceHubExceptionFilter } from "../src/index.js";
import { harness } from "./harness.js";

describeErrorContract(harness);

describe("OnceHubExceptionFilter outside HTTP", () => {
  it.each(["rpc", "ws", "graphql"])(
    "throws a %s context's oncekey error on as it was, rather than returning it as the handled result",
    (type) => {
      const filter = new OnceHubExceptionFilter({} as HttpAdapterHost);
      const error = new NetworkError("OnceHub could not be reached.");
      const host = { getType: () => type } as unknown as ArgumentsHost;

      expect(thrownBy(() => filter.catch(error, host))).toBe(error);
    },
  );
});
