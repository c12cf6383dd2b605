import { INestApplication } from '@nestjs/common';
import { AppDefinition, AppRuntime, InProcessBroker, MessageBus, createApp, loadConfig } from '@vidivo/platform';
import { testJwtKeys } from './test-keys';

export interface InProcessApp {
  app: INestApplication;
  baseUrl: string;
  bus: MessageBus;
  close(): Promise<void>;
}

/**
 * Starts apps inside the test process, on a real database and a random port, wired as standalone
 * mode wires them (in-process transport). Settings not given get test defaults; `runtime` can
 * send the log lines somewhere the test reads them.
 */
export async function startInProcessApp(definition: AppDefinition, env: Record<string, string>, runtime: Pick<AppRuntime, 'logDestination'> = {}): Promise<InProcessApp> {
  const keys = testJwtKeys();
  const config = loadConfig({
    JWT_PRIVATE_KEY: keys.privateKey,
    JWT_PUBLIC_KEY: keys.publicKey,
    TURN_SECRET: 'test-turn-secret-0123456789',
    LOG_LEVEL: 'error',
    // Tests make many requests from one address; the rate limit has its own test.
    RATE_LIMIT_PER_MINUTE: '0',
    DECLINED_PAYMENTS_PER_HOUR: '0',
    ...env,
  });
  const app = await createApp(definition, { ...runtime, config, transport: { kind: 'in-process', broker: new InProcessBroker() } });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    bus: app.get(MessageBus),
    close: () => app.close(),
  };
}
