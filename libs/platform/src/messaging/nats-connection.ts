/**
 * How every NATS connection of ours connects: reconnecting without limit (nats.js gives up after
 * 10 tries, about 20 s, by default, which would leave an app cut off for good after a longer
 * outage). Given one server of a cluster, the client learns the others from it and moves to one of
 * them when its own goes away.
 */
export function natsConnectionOptions(natsUrl: string, name: string) {
  return { servers: [natsUrl], name, maxReconnectAttempts: -1, reconnectTimeWait: 1_000 };
}
