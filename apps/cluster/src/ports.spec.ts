import { DEFAULT_METRICS_PORT } from '@vidivo/platform';
import { createServer } from 'node:net';
import { metricsServingProcesses } from './cluster-plan';
import { choosePorts } from './ports';

describe('choosePorts', () => {
  it('gives every process its public port and a /metrics port of its own, all different', async () => {
    const ports = await choosePorts(23_000, '127.0.0.1', [23_500]);
    expect(Object.keys(ports.metrics).sort()).toEqual(metricsServingProcesses().sort());
    const all = [ports.gateway, ...ports.signaling, ...Object.values(ports.domain), ...Object.values(ports.metrics), 23_500];
    expect(new Set(all).size).toBe(all.length);
  });

  it('moves a /metrics port elsewhere when its preferred port is taken', async () => {
    const blocker = createServer();
    // Already taken by another process on the machine is the same case.
    await new Promise<void>((resolve) => blocker.once('error', () => resolve()).listen(DEFAULT_METRICS_PORT, '127.0.0.1', resolve));
    try {
      const ports = await choosePorts(23_100, '127.0.0.1', []);
      expect(ports.metrics.gateway).not.toBe(DEFAULT_METRICS_PORT);
      expect(Object.values(ports.metrics)).not.toContain(DEFAULT_METRICS_PORT);
    } finally {
      if (blocker.listening) await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
