// nx-ignore-next-line
import { EVENT_STREAM, JetStreamEvents } from '@vidivo/platform';
import { Account, sleep } from '@vidivo/testing';
import { connect } from 'nats';
import { ClusterUnderFaults, startClusterUnderFaults } from './cluster-under-faults';
import { expectSurvived, readinessBecomes, registerHosts, runFaultScenario } from './fault-scenario';

const STREAM_REPLICAS = 3;

/**
 * NATS is no single point of failure (issue 13, decision 34): three nats-server processes routed
 * into one JetStream cluster, the event stream on all three, and the one the apps were given as
 * NATS_URL killed in the middle of 20 concurrent call lifecycles: the apps move to the other two
 * (which the cluster told them of), nothing is lost, nothing is stuck, and the money is right.
 */
describe('faults survived: a three-node NATS cluster loses a server (cluster mode, real processes)', () => {
  let platform: ClusterUnderFaults;
  let hosts: Account[];

  beforeAll(async () => {
    platform = await startClusterUnderFaults({
      natsServers: 3,
      env: { EVENTS_STREAM_REPLICAS: String(STREAM_REPLICAS) },
      // The stream as the production overlay has it (EVENTS_STREAM_REPLICAS=3), before any app runs.
      beforeCluster: async ([seed]) => {
        const events = new JetStreamEvents(seed.url, { streamReplicas: STREAM_REPLICAS });
        await events.ensureStream();
        await events.close();
      },
    });
    hosts = await registerHosts(platform.api);
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
  }, 120_000);

  const streamInfo = async (url: string) => {
    const nc = await connect({ servers: url });
    try {
      return await (await nc.jetstreamManager()).streams.info(EVENT_STREAM);
    } finally {
      await nc.close();
    }
  };

  it('keeps the event stream on all three servers', async () => {
    const info = await streamInfo(platform.nats[1].url);
    expect(info.config.num_replicas).toBe(STREAM_REPLICAS);
    expect(1 + (info.cluster?.replicas?.length ?? 0)).toBe(STREAM_REPLICAS);
  });

  it('one server killed mid-traffic: nothing lost, nothing stuck, the money right', async () => {
    const [seed, ...others] = platform.nats;
    const result = await runFaultScenario('nats_cluster_node_killed', platform, hosts, async () => {
      const killed = Date.now();
      await seed.kill('SIGKILL');
      const ready = Math.max(...(await Promise.all(Object.values(platform.cluster.healthUrls).map((url) => readinessBecomes(url, 200)))));
      await sleep(4_000); // traffic on two servers only
      return { killed_server: seed.name, apps_ready_after_ms: Math.max(ready, Date.now() - killed - 4_000) };
    });
    expectSurvived(result);
    // The stream lives on: a leader among the two left, the events all there.
    const info = await streamInfo(others[0].url);
    expect(others.map((server) => server.name)).toContain(info.cluster?.leader);
    expect(info.state.messages).toBeGreaterThan(0);
  }, 300_000);
});
