import { SOAK_RULES, SoakSample, cpuChecks, cpuPerOperation, growth, median, memoryCheck, soakVerdict, warmupCount } from './verdict';

/** A steady minute: 300 operations at 2 ms of Node and 1 ms of Postgres CPU each, 200 MB resident. */
const sample = (overrides: Partial<SoakSample> = {}): SoakSample => ({ operations: 300, errors: 0, rssKb: 200 * 1024, nodeCpuMs: 600, postgresCpuMs: 300, ...overrides });
const minutes = (count: number, shape: (index: number) => Partial<SoakSample> = () => ({})) => Array.from({ length: count }, (_, index) => sample(shape(index)));

describe('the arithmetic', () => {
  it('takes the median of odd and even counts, NaN of nothing', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('counts the first 20% as warm-up, rounded up', () => {
    expect(warmupCount(30, 0.2)).toBe(6);
    expect(warmupCount(9, 0.2)).toBe(2);
    expect(warmupCount(1, 0.2)).toBe(1);
    expect(warmupCount(0, 0.2)).toBe(0);
  });

  it('gives growth as a fraction', () => {
    expect(growth(200, 220)).toBeCloseTo(0.1);
    expect(growth(200, 180)).toBeCloseTo(-0.1);
  });

  it('divides total CPU by total operations, so a quiet interval weighs less than a busy one', () => {
    expect(cpuPerOperation([sample({ operations: 100, nodeCpuMs: 100 }), sample({ operations: 300, nodeCpuMs: 900 })], (s) => s.nodeCpuMs)).toBe(2.5);
  });
});

describe('memoryCheck', () => {
  it('passes growth just under the limit and fails it at the limit', () => {
    const rising = (lastKb: number) => [...minutes(3, () => ({ rssKb: 100_000 })), ...minutes(3, () => ({ rssKb: lastKb }))];
    expect(memoryCheck(rising(109_990), SOAK_RULES).passed).toBe(true);
    expect(memoryCheck(rising(110_000), SOAK_RULES)).toMatchObject({ passed: false, detail: expect.stringContaining('+10.0%') });
  });

  it('compares the medians of the first and last three, so one outlier at either end decides nothing', () => {
    const rss = [100_000, 180_000, 100_000, 104_000, 106_000, 105_000, 104_000, 60_000, 104_000];
    const check = memoryCheck(
      rss.map((rssKb) => sample({ rssKb })),
      SOAK_RULES,
    );
    expect(check).toMatchObject({ passed: true, detail: expect.stringContaining('+4.0%') });
  });

  it('takes at most half the samples at each end, and fails with fewer than two', () => {
    expect(memoryCheck([sample({ rssKb: 100 }), sample({ rssKb: 200 })], SOAK_RULES)).toMatchObject({ passed: false, detail: expect.stringContaining('the first 1') });
    expect(memoryCheck([sample()], SOAK_RULES)).toMatchObject({ passed: false, detail: expect.stringContaining('too few samples') });
  });
});

describe('cpuChecks', () => {
  const [node, postgres] = [0, 1];

  it('compares the first third with the last, Node and Postgres apart, and ignores the middle', () => {
    // 9 samples: thirds of 3; the middle third is ten times dearer and does not count.
    const steady = minutes(9, (i) => (i >= 3 && i < 6 ? { nodeCpuMs: 6_000 } : i >= 6 ? { nodeCpuMs: 690, postgresCpuMs: 350 } : {}));
    const checks = cpuChecks(steady, SOAK_RULES);
    expect(checks[node]).toMatchObject({ passed: true, detail: '2.00 → 2.30 ms/op over 3 samples each: +15.0%' });
    expect(checks[postgres]).toMatchObject({ passed: false, detail: expect.stringContaining('+16.7%') });
  });

  it('lets CPU per operation fall, however far', () => {
    expect(
      cpuChecks(
        minutes(6, (i) => (i >= 4 ? { nodeCpuMs: 60 } : {})),
        SOAK_RULES,
      )[node].passed,
    ).toBe(true);
  });

  it('fails when it cannot compute: fewer than three samples, no Postgres figure', () => {
    expect(cpuChecks(minutes(2), SOAK_RULES)[node]).toMatchObject({ passed: false, detail: expect.stringContaining('too few samples') });
    expect(
      cpuChecks(
        minutes(3, () => ({ postgresCpuMs: NaN })),
        SOAK_RULES,
      )[postgres].passed,
    ).toBe(false);
  });
});

describe('soakVerdict', () => {
  it('passes a steady run, leaving the warm-up out of the memory and CPU rules', () => {
    // The warm-up (first 6 of 30) grows memory and costs more CPU; after it, everything is flat.
    const run = minutes(30, (i) => (i < 6 ? { rssKb: 50_000 + i * 30_000, nodeCpuMs: 3_000 } : {}));
    const verdict = soakVerdict(run);
    expect(verdict.warmupSamples).toBe(6);
    expect(verdict.checks.map((check) => check.passed)).toEqual([true, true, true, true, true]);
    expect(verdict.passed).toBe(true);
  });

  it('fails on one error, even in the warm-up', () => {
    const verdict = soakVerdict(minutes(30, (i) => (i === 0 ? { errors: 1 } : {})));
    expect(verdict.passed).toBe(false);
    expect(verdict.checks[0]).toEqual({ rule: 'no errors', passed: false, detail: '1 unexpected answers or exceptions' });
  });

  it('fails a slow leak after warm-up', () => {
    const leaking = soakVerdict(minutes(30, (i) => ({ rssKb: 200_000 + i * 1_000 })));
    expect(leaking.passed).toBe(false);
    expect(leaking.checks.find((check) => check.rule.startsWith('RSS'))!.passed).toBe(false);
  });

  it('fails an interval in which nothing completed, and a run without samples', () => {
    expect(soakVerdict(minutes(30, (i) => (i === 12 ? { operations: 0, nodeCpuMs: 0, postgresCpuMs: 0 } : {}))).checks[1]).toMatchObject({ passed: false });
    expect(soakVerdict([]).passed).toBe(false);
  });
});
