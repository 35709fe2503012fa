import { describe, expect, it } from "@jest/globals";
import { createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import type { Call } from "../src/traces/call.js";
import { CALL, CallContext } from "../src/traces/call-context.js";

const OTHER = createContextKey("other");
const call = { ended: false } as Call;
const another = { ended: false } as Call;

describe(CallContext.name, () => {
  const inner = ROOT_CONTEXT.setValue(OTHER, "inner's");
  const context = new CallContext(inner, call);

  it("holds the call and every value of the context it wraps", () => {
    expect(context.getValue(CALL)).toBe(call);
    expect(context.getValue(OTHER)).toBe("inner's");
    expect(context.getValue(createContextKey("absent"))).toBeUndefined();
  });

  it("keeps the call in the contexts code inside the call makes, and is left as it was", () => {
    const child = context.setValue(OTHER, "child's");
    expect(child.getValue(CALL)).toBe(call);
    expect(child.getValue(OTHER)).toBe("child's");
    expect(child.deleteValue(OTHER).getValue(CALL)).toBe(call);
    expect(child.deleteValue(OTHER).getValue(OTHER)).toBeUndefined();
    expect(context.getValue(OTHER)).toBe("inner's");
  });

  it("replaces or drops the call like any value", () => {
    expect(context.setValue(CALL, another).getValue(CALL)).toBe(another);
    expect(context.setValue(CALL, another).getValue(OTHER)).toBe("inner's");
    expect(context.deleteValue(CALL).getValue(CALL)).toBeUndefined();
    expect(context.deleteValue(CALL).getValue(OTHER)).toBe("inner's");
    expect(context.getValue(CALL)).toBe(call);
  });
});
