import { NodeProcess, freePort, spawnNode, waitForHttp } from '@vidivo/testing';
import { resolve } from 'node:path';

export interface BenchServer {
  process: NodeProcess;
  port: number;
  baseUrl: string;
}

/** The built standalone app as `npm start` runs it, set up for load: no rate limit, quiet logs. */
export async function startStandalone(dataDir: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const port = await freePort();
  const child = spawnNode('standalone', resolve(__dirname, '../../apps/standalone/src/main.js'), {
    PORT: String(port),
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    STRIPE_EMULATOR_PORT: String(await freePort()),
    RATE_LIMIT_PER_MINUTE: '0',
    DECLINED_PAYMENTS_PER_HOUR: '0',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/health/ready`, [child]);
  return { process: child, port, baseUrl };
}
