import { NodeProcess, createTestDatabase, freePort, spawnNode, testEnvironment, testJwtKeys, waitForHttp } from '@vidivo/testing';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

const DIST = resolve(__dirname, '../../dist/apps');
export const PUBLIC_WEB_URL = 'https://vidivo.test';

/** The running platform as a client sees it: one base URL. */
export interface PlatformUnderTest {
  baseUrl: string;
  /** Each process's /health/ready, by app name. */
  healthUrls: Record<string, string>;
  processes: NodeProcess[];
  stop(): Promise<void>;
}

const script = (app: string) => join(DIST, app, 'src/main.js');

/** A fresh DATA_DIR (world-traversable, as Postgres run as the postgres user needs). */
export function newDataDir(): { path: string; remove(): void } {
  const path = join(tmpdir(), `vidivo-e2e-${randomBytes(4).toString('hex')}`);
  mkdirSync(path, { mode: 0o755 });
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** `npm start` as a user runs it: one process, its own embedded Postgres under DATA_DIR. */
export async function startStandalone(dataDir: string, extraEnv: Record<string, string> = {}): Promise<PlatformUnderTest> {
  const port = await freePort();
  const standalone = spawnNode('standalone', script('standalone'), {
    PORT: String(port),
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    PUBLIC_WEB_URL,
    ...extraEnv,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/health/ready`, [standalone]);
  return { baseUrl, healthUrls: { standalone: `${baseUrl}/health/ready` }, processes: [standalone], stop: async () => void (await standalone.stop()) };
}

/** Every app as its own process on the machine's real NATS and Postgres, as in production. */
export async function startDistributed(): Promise<PlatformUnderTest> {
  const database = await createTestDatabase('e2e_distributed');
  const keys = testJwtKeys();
  const shared = { DATABASE_URL: database.url, NATS_URL: testEnvironment.natsUrl, PUBLIC_WEB_URL, LOG_LEVEL: 'warn' };
  const ports = { gateway: await freePort(), identity: await freePort(), links: await freePort() };
  const processes = [
    spawnNode('identity', script('identity'), { ...shared, PORT: String(ports.identity), JWT_PRIVATE_KEY: keys.privateKey }),
    spawnNode('links', script('links'), { ...shared, PORT: String(ports.links) }),
    spawnNode('gateway', script('gateway'), { ...shared, PORT: String(ports.gateway), JWT_PUBLIC_KEY: keys.publicKey }),
  ];
  const healthUrls = Object.fromEntries(Object.entries(ports).map(([app, port]) => [app, `http://127.0.0.1:${port}/health/ready`]));
  try {
    for (const url of Object.values(healthUrls)) await waitForHttp(url, processes);
  } catch (error) {
    await Promise.all(processes.map((p) => p.stop()));
    await database.drop();
    throw error;
  }
  return {
    baseUrl: `http://127.0.0.1:${ports.gateway}`,
    healthUrls,
    processes,
    stop: async () => {
      await Promise.all(processes.map((p) => p.stop()));
      await database.drop();
    },
  };
}
