import { driveLoad } from './keep-alive-load';
import { MeasuredServer, startBareExpress, startStandalone } from './http-floor.servers';
import { processCpuMs } from './process-cpu';

export interface HttpFloorOptions {
  requests: number;
  concurrency: number;
  warmup: number;
  rounds: number;
  /** Another build's `dist/` (the code before a change), measured beside this checkout's. */
  beforeDist?: string;
  /** Where `--cpu-prof` writes the profile of this checkout's standalone, when given. */
  profileDir?: string;
  /** Only the routes whose name contains this (to profile one route at a time). */
  only?: string;
}

export interface RouteFigure {
  server: string;
  route: string;
  /** Server CPU (user + system) per request, one figure per round. */
  cpuMsPerRequest: number[];
  requestsPerSecond: number[];
  failures: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Server CPU per request on one route: warmed up first, then `requests` at `concurrency`, the process's CPU read before and after. */
async function measureRoute(server: MeasuredServer, url: string, options: HttpFloorOptions) {
  await driveLoad(url, options.warmup, options.concurrency);
  const before = processCpuMs(server.pid);
  const load = await driveLoad(url, options.requests, options.concurrency);
  const cpuMs = processCpuMs(server.pid) - before;
  return { cpuMsPerRequest: cpuMs / load.requests, requestsPerSecond: load.requests / load.seconds, failures: load.failures };
}

/** CPU the process spends per second doing nothing asked of it (timers, relays, sweepers), over `seconds`. */
async function idleCpuMsPerSecond(server: MeasuredServer, seconds = 3): Promise<number> {
  const before = processCpuMs(server.pid);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return (processCpuMs(server.pid) - before) / seconds;
}

/**
 * The HTTP floor (issue 14, item 3): server CPU per request on GET /health/live and GET
 * /v1/calls/links/:code/info, for bare Express, the standalone built from this checkout and,
 * when given, another build, all in one run; rounds alternate between the servers.
 */
export async function measureHttpFloor(options: HttpFloorOptions, log: (line: string) => void): Promise<{ figures: RouteFigure[]; idle: Record<string, number> }> {
  const servers: MeasuredServer[] = [];
  try {
    servers.push(await startBareExpress());
    if (options.beforeDist) servers.push(await startStandalone('standalone (before)', options.beforeDist));
    const profile = options.profileDir ? [`--cpu-prof`, `--cpu-prof-dir=${options.profileDir}`] : [];
    servers.push(await startStandalone(options.beforeDist ? 'standalone (after)' : 'standalone', undefined, profile));
    const idle: Record<string, number> = {};
    for (const server of servers) idle[server.label] = await idleCpuMsPerSecond(server);

    const figures = new Map<string, RouteFigure>();
    for (let round = 1; round <= options.rounds; round++) {
      for (const server of servers) {
        for (const route of server.routes.filter(({ name }) => !options.only || name.includes(options.only))) {
          const measured = await measureRoute(server, route.url, options);
          const key = `${server.label} ${route.name}`;
          const figure = figures.get(key) ?? { server: server.label, route: route.name, cpuMsPerRequest: [], requestsPerSecond: [], failures: 0 };
          figure.cpuMsPerRequest.push(measured.cpuMsPerRequest);
          figure.requestsPerSecond.push(measured.requestsPerSecond);
          figure.failures += measured.failures;
          figures.set(key, figure);
          log(`round ${round}: ${key}: ${measured.cpuMsPerRequest.toFixed(3)} ms CPU/request, ${Math.round(measured.requestsPerSecond)} req/s`);
        }
      }
    }
    return { figures: [...figures.values()], idle };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/** The results as a Markdown table: median over the rounds, and the spread. */
export function formatHttpFloor(figures: RouteFigure[], idle: Record<string, number>, options: HttpFloorOptions): string {
  const rows = figures.map((figure) => {
    const cpu = figure.cpuMsPerRequest;
    const spread = cpu.length > 1 ? ` (${Math.min(...cpu).toFixed(3)}–${Math.max(...cpu).toFixed(3)})` : '';
    return `| ${figure.server} | ${figure.route} | ${median(cpu).toFixed(3)}${spread} | ${Math.round(median(figure.requestsPerSecond))} | ${figure.failures} |`;
  });
  const idleLines = Object.entries(idle).map(([server, ms]) => `${server}: ${ms.toFixed(1)} ms CPU/s idle`);
  return [
    `${options.requests} requests per route and round at concurrency ${options.concurrency}, keep-alive, after ${options.warmup} warm-up requests; ${options.rounds} round(s), median (range)`,
    '',
    '| server | route | server CPU ms/request | req/s | failures |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    ...idleLines,
  ].join('\n');
}
