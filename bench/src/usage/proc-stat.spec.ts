import { clockTicksPerSecond, parseProcStat, readProcStat, ticksToMs } from './proc-stat';

/** A /proc/<pid>/stat line with the given comm, ppid and utime/stime/cutime/cstime (the rest from a real bash). */
const statLine = (comm: string, ppid = 11365, [utime, stime, cutime, cstime] = [5, 6, 4350, 299]) =>
  `11367 (${comm}) S ${ppid} 11367 11367 0 -1 4194560 13147 760075 1 16 ${utime} ${stime} ${cutime} ${cstime} 20 0 1 0 265929 5390336 1016 18446744073709551615 0 0 0 0 17 1 0 0 0 0 0`;

describe('parseProcStat', () => {
  it('reads the pid, comm, ppid and the four CPU times', () => {
    expect(parseProcStat(statLine('bash'))).toEqual({ pid: 11367, comm: 'bash', ppid: 11365, utime: 5, stime: 6, cutime: 4350, cstime: 299 });
  });

  it('takes a comm with spaces and parentheses whole, up to the last parenthesis', () => {
    const stat = parseProcStat(statLine('we (ird) ) 1 2 3', 42, [101, 202, 303, 404]));
    expect(stat).toMatchObject({ comm: 'we (ird) ) 1 2 3', ppid: 42, utime: 101, stime: 202, cutime: 303, cstime: 404 });
  });

  it('takes an empty comm and one that is only a parenthesis', () => {
    expect(parseProcStat(statLine('')).comm).toBe('');
    expect(parseProcStat(statLine(')')).comm).toBe(')');
    expect(parseProcStat(statLine('(')).ppid).toBe(11365);
  });

  it('refuses a line that is not a stat line', () => {
    expect(() => parseProcStat('no parenthesis here')).toThrow(/not a \/proc/);
    expect(() => parseProcStat('12 (x) S 1 2 3')).toThrow(/too few fields/);
  });

  it('reads this very process from /proc, its parent and all', () => {
    const own = readProcStat(process.pid)!;
    expect(own.pid).toBe(process.pid);
    expect(own.ppid).toBe(process.ppid);
    expect(own.utime + own.stime).toBeGreaterThan(0);
    expect(readProcStat(2 ** 30)).toBeUndefined();
  });
});

describe('clock ticks', () => {
  it('are what getconf CLK_TCK says, converted to ms', () => {
    expect(clockTicksPerSecond()).toBeGreaterThan(0);
    expect(ticksToMs(250, 100)).toBe(2500);
    expect(ticksToMs(3, 1000)).toBe(3);
  });
});
