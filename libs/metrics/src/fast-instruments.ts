/**
 * Counters and histograms for hot paths. prom-client's own children still validate and hash their label set on
 * every observation (an object and a string per call); these children are plain cells bound once, so an observation
 * is an addition (and a bucket search), and the registry reads the cells when it is scraped.
 */
import type { Registry } from "prom-client";

type Labels = Record<string, string>;

interface Options<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  registers: Registry[];
}

abstract class FastMetric<L extends string, C> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = "sum";
  protected readonly labelNames: readonly L[];
  protected readonly children = new Map<string, { labels: Labels; cell: C }>();

  constructor(options: Options<L>) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames ?? [];
    for (const registry of options.registers) registry.registerMetric(this as never);
  }

  protected abstract createCell(): C;

  /** The child for these label values, in labelNames order; bind it once and keep it. */
  labels(...values: string[]): C {
    return this.child(values);
  }

  protected child(values: string[]): C {
    const key = values.join("\u0000");
    let entry = this.children.get(key);
    if (entry === undefined) {
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => {
        labels[name] = values[i] ?? "";
      });
      entry = { labels, cell: this.createCell() };
      this.children.set(key, entry);
    }
    return entry.cell;
  }

  protected valuesOf(labels: Partial<Record<L, string>>): string[] {
    return this.labelNames.map((name) => labels[name] ?? "");
  }

  remove(labels: Partial<Record<L, string>>): void {
    this.children.delete(this.valuesOf(labels).join("\u0000"));
  }

  reset(): void {
    this.children.clear();
  }
}

export class CounterCell {
  value = 0;
  inc(amount = 1): void {
    this.value += amount;
  }
}

export class FastCounter<L extends string = string> extends FastMetric<L, CounterCell> {
  readonly type = "counter";

  protected createCell(): CounterCell {
    return new CounterCell();
  }

  /** The slow path, for rare events: labels by name. */
  inc(labels: Partial<Record<L, string>> = {}, amount = 1): void {
    this.child(this.valuesOf(labels)).inc(amount);
  }

  async get() {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [...this.children.values()].map(({ labels, cell }) => ({ labels, value: cell.value })),
    };
  }
}

export class HistogramCell {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }
  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i += 1) {
      if (value <= (bounds[i] as number)) {
        this.counts[i] = (this.counts[i] as number) + 1;
        return;
      }
    }
  }
}

export class FastHistogram<L extends string = string> extends FastMetric<L, HistogramCell> {
  readonly type = "histogram";
  private readonly bounds: readonly number[];

  constructor(options: Options<L> & { buckets: readonly number[] }) {
    super(options);
    this.bounds = [...options.buckets].sort((a, b) => a - b);
  }

  protected createCell(): HistogramCell {
    return new HistogramCell(this.bounds);
  }

  observe(labels: Partial<Record<L, string>>, value: number): void {
    this.child(this.valuesOf(labels)).observe(value);
  }

  async get() {
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const { labels, cell } of this.children.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += cell.counts[i] as number;
        values.push({ labels: { ...labels, le: bound }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { ...labels, le: "+Inf" }, value: cell.count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: cell.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: cell.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
