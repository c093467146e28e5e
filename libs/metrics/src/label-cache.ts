/**
 * Pre-bound label children: prom-client hashes a label set on every `inc(labels)`; a child bound once and kept in
 * nested maps (one level per label) costs a few map lookups and no allocation per observation.
 */

type Level = Map<string, unknown>;

function step(level: Level, key: string): Level {
  let next = level.get(key) as Level | undefined;
  if (next === undefined) {
    next = new Map();
    level.set(key, next);
  }
  return next;
}

export class ChildCache<C> {
  /** One tree per number of labels, so children of different arity never meet. */
  private readonly roots: [Level, Level, Level, Level] = [new Map(), new Map(), new Map(), new Map()];
  constructor(private readonly bind: (...values: string[]) => C) {}

  get1(a: string): C {
    return this.leaf(this.roots[0], a, () => this.bind(a));
  }

  get2(a: string, b: string): C {
    return this.leaf(step(this.roots[1], a), b, () => this.bind(a, b));
  }

  get3(a: string, b: string, c: string): C {
    return this.leaf(step(step(this.roots[2], a), b), c, () => this.bind(a, b, c));
  }

  get4(a: string, b: string, c: string, d: string): C {
    return this.leaf(step(step(step(this.roots[3], a), b), c), d, () => this.bind(a, b, c, d));
  }

  private leaf(level: Level, key: string, create: () => C): C {
    let child = level.get(key) as C | undefined;
    if (child === undefined) {
      child = create();
      level.set(key, child);
    }
    return child;
  }
}
