import { readFileSync } from 'node:fs';

/** VmRSS of a process from /proc/<pid>/status, in kB. */
export function parseVmRssKb(status: string): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error('no VmRSS line in /proc/<pid>/status');
  return Number(match[1]);
}

export const readVmRssKb = (pid: number) => parseVmRssKb(readFileSync(`/proc/${pid}/status`, 'utf8'));
