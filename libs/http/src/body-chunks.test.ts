import { describe, expect, it } from "vitest";
import { BodyChunks } from "./body-chunks.js";

describe("BodyChunks", () => {
  const parts = ["ab", "", "cde", "f", "ghij"].map((part) => Buffer.from(part));
  const body = new BodyChunks(parts, 10);

  it("gives any range as one buffer, whichever chunks it spans, without joining the body", () => {
    for (let start = 0; start <= 10; start++) {
      for (let end = start; end <= 10; end++) expect(body.slice(start, end).toString()).toBe("abcdefghij".slice(start, end));
    }
    // A range inside one chunk is a view of it, not a copy.
    expect(body.slice(2, 5).buffer).toBe((parts[2] as Buffer).buffer);
  });

  it("joins the chunks once, on first need, and a single chunk is the body itself", () => {
    const joined = body.bytes();
    expect(joined.toString()).toBe("abcdefghij");
    expect(body.bytes()).toBe(joined);
    const one = Buffer.from("{}");
    expect(BodyChunks.of(one).bytes()).toBe(one);
    expect(new BodyChunks([], 0).bytes().length).toBe(0);
  });
});
