import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** The fields of /proc/<pid>/stat the benchmarks read; times in clock ticks. */
export interface ProcStat {
  pid: number;
  /** The executable's name, at most 15 characters; it may hold spaces and parentheses. */
  comm: string;
  ppid: number;
  /** CPU time of the process itself (every thread), in user and in kernel mode. */
  utime: number;
  stime: number;
  /** CPU time of its children that have ended and been waited for. */
  cutime: number;
  cstime: number;
}

/**
 * Parses one /proc/<pid>/stat line: `pid (comm) state ppid …`. The comm is whatever the process
 * named itself, spaces and ')' included, so it runs from the first '(' to the last ')'; the fields
 * after it are numbers (proc(5): ppid is the 4th field, utime/stime/cutime/cstime the 14th–17th).
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  // From the state (3rd field) on: index 0 = state, 1 = ppid, 11..14 = utime, stime, cutime, cstime.
  const rest = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  if (rest.length < 15) throw new Error(`a /proc/<pid>/stat line with too few fields: ${line.slice(0, 80)}`);
  const number = (index: number) => Number(rest[index]);
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    ppid: number(1),
    utime: number(11),
    stime: number(12),
    cutime: number(13),
    cstime: number(14),
  };
}

let ticksPerSecond: number | undefined;

/** USER_HZ, the unit of the times in /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux as built today). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export const ticksToMs = (ticks: number, perSecond = clockTicksPerSecond()) => (ticks * 1000) / perSecond;

/** The stat of one process, or undefined when it has gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every process visible in /proc right now (those that end while being read are left out). */
export function readProcessTable(): ProcStat[] {
  const table: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat) table.push(stat);
  }
  return table;
}
