import { JournaledMap } from './state-journal';

const OFFSET = 'offset_seconds';

/**
 * The emulator's notion of now: real time plus however far tests moved it forward, so that what
 * Stripe does after days (authorizations expiring, idempotency keys pruned) can be tested at once.
 */
export class Clock {
  /** The offset is kept in `state` (key `offset_seconds`), so a restarted emulator keeps its time. */
  constructor(private readonly state: JournaledMap<number> = new JournaledMap()) {}

  private get offsetSeconds(): number {
    return this.state.get(OFFSET) ?? 0;
  }

  /** Unix seconds. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  nowMs(): number {
    return Date.now() + this.offsetSeconds * 1000;
  }

  /** Moves now forward; answers the new now. Throws a TypeError for anything but a non-negative number of seconds. */
  advance(seconds: unknown): number {
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new TypeError('seconds to advance must be a non-negative integer');
    }
    this.state.set(OFFSET, this.offsetSeconds + seconds);
    return this.now();
  }
}
