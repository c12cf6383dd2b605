/** Latency samples in milliseconds, summarised the way the README reports them. */
export class Samples {
  private readonly values: number[] = [];

  add(ms: number): void {
    this.values.push(ms);
  }

  get count(): number {
    return this.values.length;
  }

  percentile(p: number): number {
    if (this.values.length === 0) return NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  }
}

export async function timed<T>(samples: Samples, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  samples.add(performance.now() - started);
  return result;
}

/** Runs `work` `total` times with at most `concurrency` at once; returns the wall time in ms. */
export async function runConcurrently(total: number, concurrency: number, work: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await work(next++);
    }),
  );
  return performance.now() - started;
}

export const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(1));

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}
