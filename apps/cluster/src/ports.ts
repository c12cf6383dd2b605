import { AddressInfo, createServer } from 'node:net';
import { ClusterPorts, DOMAIN_APPS, DomainApp, SIGNALING_REPLICAS } from './cluster-plan';

const MAX_PORT = 65_535;

/** Whether `port` can be listened on at `host` right now. */
export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the system has free now, never one already handed out. */
async function freePort(host: string, taken: Set<number>): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, host, () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

/**
 * The gateway on PORT; signaling replica n on PORT+n when that port is free (else any free port);
 * the domain apps on free ports. `reserved` are ports other processes of the cluster will take.
 * The ports are free when chosen; a process that takes one in the meantime makes that app fail to
 * start, and the cluster with it.
 */
export async function choosePorts(gateway: number, host: string, reserved: number[]): Promise<ClusterPorts> {
  const taken = new Set([gateway, ...reserved]);
  const signaling: number[] = [];
  for (let n = 1; n <= SIGNALING_REPLICAS; n++) {
    const preferred = gateway + n;
    if (preferred <= MAX_PORT && !taken.has(preferred) && (await isPortFree(preferred, host))) {
      taken.add(preferred);
      signaling.push(preferred);
    } else {
      signaling.push(await freePort(host, taken));
    }
  }
  const domain = {} as Record<DomainApp, number>;
  for (const app of DOMAIN_APPS) domain[app] = await freePort(host, taken);
  return { gateway, signaling, domain };
}
