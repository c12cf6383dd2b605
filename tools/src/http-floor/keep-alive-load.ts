import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  seconds: number;
  /** Answers whose status was not the expected one. */
  failures: number;
}

/** One GET on a kept-alive connection, its body read to the end; resolves with the status. */
function get(agent: Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { agent, method: 'GET' }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** `total` GETs of `url`, `concurrency` at a time over as many kept-alive connections. */
export async function driveLoad(url: string, total: number, concurrency: number, expectedStatus = 200): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  let issued = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < total) {
      issued++;
      if ((await get(agent, target)) !== expectedStatus) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests: total, seconds, failures };
}
