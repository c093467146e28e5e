import { describe, expect, it } from "vitest";
import type { Provider, ProviderModel } from "./providers-api";
import { routedModelNames } from "./routed-models";

function model(name: string, isActive = true): ProviderModel {
  return { id: name, model: name, providerId: "p", upstreamModel: name, isActive };
}

function provider(models: ProviderModel[], isActive = true): Provider {
  return { id: "p", name: "p", kind: "openai", baseUrl: "", hasApiKey: true, settings: {}, isActive, createdAt: "", models };
}

describe("routedModelNames", () => {
  it("lists active models of active providers once each, in order", () => {
    const providers = [
      provider([model("a"), model("off", false), model("b")]),
      provider([model("hidden")], false),
      provider([model("b"), model("c")]),
    ];
    expect(routedModelNames(providers)).toEqual(["a", "b", "c"]);
  });
});
