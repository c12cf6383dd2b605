/** A step's failure, with what was seen instead of what was wanted. */
export class StepFailed extends Error {}

/** Thrown past a failed step, so the steps that depend on it do not run. */
class PartStopped extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new StepFailed(message);
}

/** Prints one line per step (✓ / ✗ / –) with what it saw, and keeps the count for the summary. */
export class Steps {
  private readonly counts = { passed: 0, failed: 0, skipped: 0 };

  /** Runs a step; `work` answers what it saw in `saw`, or throws with what was wrong. */
  async run<T extends { saw: string }>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.counts.passed++;
      console.log(`✓ ${name}: ${result.saw}`);
      return result;
    } catch (error) {
      this.counts.failed++;
      console.log(`✗ ${name}: ${error instanceof StepFailed ? error.message : unexpected(error)}`);
      throw new PartStopped();
    }
  }

  skip(name: string, why: string): void {
    this.counts.skipped++;
    console.log(`– ${name}: skipped, ${why}`);
  }

  /** A group of dependent steps: the first failure ends the group, not the run. */
  async part(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof PartStopped)) throw error;
    }
  }

  get passed(): boolean {
    return this.counts.failed === 0;
  }

  summary(): string {
    const { passed, failed, skipped } = this.counts;
    return `${this.passed ? '✓' : '✗'} stripe smoke ${this.passed ? 'passed' : 'FAILED'}: ${passed} passed, ${failed} failed, ${skipped} skipped`;
  }
}

/** An error no check raised (the network, a crash): its stack, and its cause (fetch puts the reason there). */
function unexpected(error: unknown): string {
  const cause = (error as Error).cause;
  return `${(error as Error).stack ?? String(error)}${cause ? `\n  cause: ${cause instanceof Error ? cause.message : JSON.stringify(cause)}` : ''}`;
}
