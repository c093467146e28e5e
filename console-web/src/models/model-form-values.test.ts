import { describe, expect, it } from "vitest";
import { emptyRoute, modelFormProblems, routeRequests, trafficShare } from "./model-form-values";
import type { ModelView } from "./models-api";

describe("model form values", () => {
  it("turns typed text into the API's routes, empty caps into null", () => {
    expect(
      routeRequests({
        model: "m",
        routes: [
          { ...emptyRoute("p1"), upstreamModel: " gpt-4o ", weight: "3", rpmLimit: "60" },
          { ...emptyRoute("p2"), priority: "1", enabled: false },
        ],
      }),
    ).toEqual([
      { providerId: "p1", upstreamModel: "gpt-4o", weight: 3, priority: 0, enabled: true, rpmLimit: 60, tpmLimit: null },
      { providerId: "p2", weight: 1, priority: 1, enabled: false, rpmLimit: null, tpmLimit: null },
    ]);
  });

  it("points at every bad field", () => {
    expect(
      modelFormProblems({ model: " ", routes: [{ ...emptyRoute(), weight: "-1", priority: "1.5", tpmLimit: "0" }] }),
    ).toEqual({
      model: "Give the name clients will send.",
      "routes.0.providerId": "Choose a provider.",
      "routes.0.weight": "A whole number from 0 to 10000.",
      "routes.0.priority": "A whole number from 0 to 100.",
      "routes.0.tpmLimit": "Empty for no cap, or a whole number ≥ 1.",
    });
  });

  it("computes each enabled route's share of its priority group", () => {
    const route = (id: string, weight: number, priority: number, enabled = true) => ({
      id,
      providerId: "p",
      providerName: "p",
      upstreamModel: "m",
      weight,
      priority,
      enabled,
      rpmLimit: null,
      tpmLimit: null,
    });
    const model: ModelView = {
      id: "x",
      model: "m",
      providerId: "p",
      upstreamModel: "m",
      isActive: true,
      routes: [route("a", 3, 0), route("b", 1, 0), route("c", 5, 1), route("d", 9, 0, false)],
    };
    expect(["a", "b", "c", "d"].map((id) => trafficShare(model, id))).toEqual([75, 25, 100, null]);
  });
});
