/** What the soak saw in one sampling interval (one minute in the full run). */
export interface SoakSample {
  /** Operations of every kind completed in the interval. */
  operations: number;
  /** Unexpected answers (non-2xx) and exceptions in the interval. */
  errors: number;
  /** The server's VmRSS at the end of the interval. */
  rssKb: number;
  /** CPU used in the interval by the server's Node process and by its Postgres cluster. */
  nodeCpuMs: number;
  postgresCpuMs: number;
}

export interface SoakRules {
  /** The first part of the run, left out of the memory and CPU rules: JIT, pools and caches fill up. */
  warmupShare: number;
  /** Most the RSS may grow after warm-up, as a fraction (0.1 = 10%). */
  maxMemoryGrowth: number;
  /** Most the CPU per operation may grow from the first to the last third after warm-up. */
  maxCpuGrowth: number;
  /** How many samples at each end of the post-warm-up run the memory rule takes the median of. */
  edgeSamples: number;
}

export const SOAK_RULES: SoakRules = { warmupShare: 0.2, maxMemoryGrowth: 0.1, maxCpuGrowth: 0.15, edgeSamples: 3 };

export interface SoakCheck {
  rule: string;
  passed: boolean;
  detail: string;
}

export interface SoakVerdict {
  passed: boolean;
  checks: SoakCheck[];
  /** How many samples at the start were warm-up. */
  warmupSamples: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Samples of the warm-up: the first `share` of them, rounded up (2 of 9, 6 of 30). */
export const warmupCount = (samples: number, share: number) => Math.min(samples, Math.ceil(samples * share));

/** `after / before - 1`, as a fraction. */
export const growth = (before: number, after: number) => after / before - 1;

const percent = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;

/** CPU ms per operation over a run of samples: total CPU over total operations, so a quiet interval weighs less. */
export function cpuPerOperation(samples: SoakSample[], cpu: (sample: SoakSample) => number): number {
  const operations = samples.reduce((sum, sample) => sum + sample.operations, 0);
  return samples.reduce((sum, sample) => sum + cpu(sample), 0) / operations;
}

/**
 * RSS after warm-up: the median of the last `edgeSamples` against the median of the first ones
 * (medians, so that one sample caught mid-GC decides nothing). With few samples, each end takes
 * at most half of them, so the two ends never overlap.
 */
export function memoryCheck(steady: SoakSample[], rules: SoakRules): SoakCheck {
  const rule = `RSS after warm-up grows less than ${(rules.maxMemoryGrowth * 100).toFixed(0)}%`;
  const edge = Math.min(rules.edgeSamples, Math.floor(steady.length / 2));
  if (edge < 1) return { rule, passed: false, detail: `too few samples after warm-up (${steady.length})` };
  const first = median(steady.slice(0, edge).map((sample) => sample.rssKb));
  const last = median(steady.slice(-edge).map((sample) => sample.rssKb));
  const grew = growth(first, last);
  const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
  return { rule, passed: grew < rules.maxMemoryGrowth, detail: `median of the first ${edge} ${mb(first)}, of the last ${edge} ${mb(last)}: ${percent(grew)}` };
}

/**
 * CPU per operation of the last third after warm-up against the first third, Node and Postgres
 * apart. Only growth fails: the soak looks for work that piles up, and a cheaper end is no leak.
 */
export function cpuChecks(steady: SoakSample[], rules: SoakRules): SoakCheck[] {
  const third = Math.floor(steady.length / 3);
  const sides: Array<[string, (sample: SoakSample) => number]> = [
    ['Node', (sample) => sample.nodeCpuMs],
    ['Postgres', (sample) => sample.postgresCpuMs],
  ];
  return sides.map(([name, cpu]) => {
    const rule = `${name} CPU per operation, last third after warm-up within +${(rules.maxCpuGrowth * 100).toFixed(0)}% of the first`;
    if (third < 1) return { rule, passed: false, detail: `too few samples after warm-up (${steady.length})` };
    const first = cpuPerOperation(steady.slice(0, third), cpu);
    const last = cpuPerOperation(steady.slice(-third), cpu);
    const grew = growth(first, last);
    // NaN (no operations, or no Postgres figure) fails: a rule that could not be computed did not pass.
    return { rule, passed: grew <= rules.maxCpuGrowth, detail: `${first.toFixed(2)} → ${last.toFixed(2)} ms/op over ${third} samples each: ${percent(grew)}` };
  });
}

/** Every rule, on every sample: no errors at all, warm-up included, and traffic in every interval. */
export function soakVerdict(samples: SoakSample[], rules: SoakRules = SOAK_RULES): SoakVerdict {
  const warmupSamples = warmupCount(samples.length, rules.warmupShare);
  const steady = samples.slice(warmupSamples);
  const errors = samples.reduce((sum, sample) => sum + sample.errors, 0);
  const idle = samples.filter((sample) => sample.operations === 0).length;
  const checks: SoakCheck[] = [
    { rule: 'no errors', passed: errors === 0, detail: `${errors} unexpected answers or exceptions` },
    { rule: 'operations in every interval', passed: samples.length > 0 && idle === 0, detail: `${idle} of ${samples.length} intervals without a completed operation` },
    memoryCheck(steady, rules),
    ...cpuChecks(steady, rules),
  ];
  return { passed: checks.every((check) => check.passed), checks, warmupSamples };
}
