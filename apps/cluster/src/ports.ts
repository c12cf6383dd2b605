import { DEFAULT_METRICS_PORT, freePort, isPortFree } from '@vidivo/platform';
import { ClusterPorts, DOMAIN_APPS, DomainApp, SIGNALING_REPLICAS, metricsServingProcesses } from './cluster-plan';

const MAX_PORT = 65_535;

/**
 * The gateway on PORT; signaling replica n on PORT+n when that port is free (else any free port);
 * the domain apps on free ports; each process's /metrics on DEFAULT_METRICS_PORT+i in the order of
 * metricsServingProcesses when free (else any free port), so a local Prometheus finds them where it
 * found them last time. `reserved` are ports other processes of the cluster will take.
 * The ports are free when chosen; a process that takes one in the meantime makes that app fail to
 * start, and the cluster with it.
 */
export async function choosePorts(gateway: number, host: string, reserved: number[]): Promise<ClusterPorts> {
  const taken = new Set([gateway, ...reserved]);
  const signaling: number[] = [];
  for (let n = 1; n <= SIGNALING_REPLICAS; n++) signaling.push(await takePreferredPort(gateway + n, host, taken));
  const domain = {} as Record<DomainApp, number>;
  for (const app of DOMAIN_APPS) domain[app] = await takeFreePort(host, taken);
  const metrics: Record<string, number> = {};
  for (const [i, name] of metricsServingProcesses().entries()) metrics[name] = await takePreferredPort(DEFAULT_METRICS_PORT + i, host, taken);
  return { gateway, signaling, domain, metrics };
}

async function takePreferredPort(preferred: number, host: string, taken: Set<number>): Promise<number> {
  if (preferred <= MAX_PORT && !taken.has(preferred) && (await isPortFree(preferred, host))) {
    taken.add(preferred);
    return preferred;
  }
  return takeFreePort(host, taken);
}

async function takeFreePort(host: string, taken: Set<number>): Promise<number> {
  const port = await freePort(host, taken);
  taken.add(port);
  return port;
}
