import { readVmRssKb } from '../usage/process-memory';
import { ServerUsage } from '../usage/server-usage';
import { UsageReading, parseQueryCounts } from '../usage/usage';

/** One unlabelled series of a /metrics scrape (a default Node metric such as nodejs_heap_size_used_bytes); NaN when absent. */
export function parseUnlabelled(metricsText: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(metricsText);
  return match ? Number(match[1]) : NaN;
}

/** What the server had used up to one moment, with its memory at that moment. */
export interface ServerReading extends UsageReading {
  rssKb: number;
  /** V8's used heap (prom-client's default metric, computed at the scrape). */
  heapUsedBytes: number;
}

/**
 * Reads the server the soak runs against: CPU through ServerUsage (Node and its Postgres cluster
 * apart, the benchmark's own connection left out), statements and heap from one /metrics scrape,
 * RSS from /proc. The scrape goes first, so its own CPU falls in the interval it ends.
 */
export async function readServer(usage: ServerUsage, pid: number, metricsUrl: string): Promise<ServerReading> {
  const response = await fetch(metricsUrl);
  if (response.status !== 200) throw new Error(`${metricsUrl} answered ${response.status}`);
  const metrics = await response.text();
  return { ...usage.cpu(), queries: parseQueryCounts(metrics), heapUsedBytes: parseUnlabelled(metrics, 'nodejs_heap_size_used_bytes'), rssKb: readVmRssKb(pid) };
}
