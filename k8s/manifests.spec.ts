import { loadConfig } from '@vidivo/platform';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Every overlay rendered by `kubectl kustomize`, every document validated against its kind's
 * Kubernetes schema and checked against the house rules: tools/validate-k8s.mjs does the work
 * (kubernetes-models is an ES module, which this CommonJS jest cannot load), and each document
 * and rule becomes a test here.
 */
interface Check {
  rule: string;
  problems: string[];
}

interface OverlayReport {
  name: string;
  error?: string;
  documents: { id: string; checks: Check[] }[];
  checks: Check[];
  config?: Record<string, string> | null;
}

interface Report {
  kubectl?: string;
  overlays: OverlayReport[];
}

const report = JSON.parse(
  execFileSync(process.execPath, [join(__dirname, '..', 'tools', 'validate-k8s.mjs'), '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
) as Report;

for (const overlay of report.overlays) {
  describe(`k8s/overlays/${overlay.name}`, () => {
    it(`renders with kubectl kustomize (${report.kubectl ?? 'no kubectl'})`, () => {
      if (overlay.error) throw new Error(overlay.error);
      expect(overlay.documents.length).toBeGreaterThan(0);
    });

    if (overlay.error) return;

    it('its ConfigMap passes the configuration checks every app runs at start', () => {
      expect(overlay.config).toBeTruthy();
      expect(() => loadConfig(overlay.config ?? {})).not.toThrow();
    });

    for (const check of overlay.checks) {
      it(check.rule, () => expect(check.problems).toEqual([]));
    }

    for (const document of overlay.documents) {
      describe(document.id, () => {
        for (const check of document.checks) {
          it(check.rule, () => expect(check.problems).toEqual([]));
        }
      });
    }
  });
}

/** NATS is no single point of failure in production, and stays one small server in dev (decision 34). */
describe('NATS: one server in dev, a three-node JetStream cluster in prod', () => {
  interface Container {
    args?: string[];
    env?: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
    ports?: { name?: string; containerPort: number }[];
  }
  interface Manifest {
    kind: string;
    metadata: { name: string };
    spec?: {
      replicas?: number;
      podManagementPolicy?: string;
      serviceName?: string;
      minAvailable?: number;
      ports?: { name?: string; port: number }[];
      template?: { spec: { containers: Container[] } };
    };
    data?: Record<string, string>;
  }
  const rendered = (overlay: string): Manifest[] =>
    parseAllDocuments(execFileSync('kubectl', ['kustomize', join(__dirname, 'overlays', overlay)], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }))
      .map((document) => document.toJSON() as Manifest)
      .filter(Boolean);
  const find = (manifests: Manifest[], kind: string, name: string) => manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  /** The value following `flag` in the server's arguments. */
  const argument = (container: Container, flag: string) => {
    const args = container.args ?? [];
    return args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined;
  };
  const config = (manifests: Manifest[]) => manifests.find((manifest) => manifest.kind === 'ConfigMap' && manifest.metadata.name.startsWith('vidivo-config'))?.data ?? {};

  describe('prod', () => {
    const manifests = rendered('prod');
    const nats = find(manifests, 'StatefulSet', 'nats')!;
    const container = nats.spec!.template!.spec.containers[0];

    it('runs three NATS servers, started together so they can elect a JetStream leader', () => {
      expect(nats.spec).toMatchObject({ replicas: 3, podManagementPolicy: 'Parallel', serviceName: 'nats-headless' });
    });

    it('names each server after its pod and routes every server to all three over the headless Service', () => {
      expect(argument(container, '--server_name')).toBe('$(POD_NAME)');
      expect(container.env).toContainEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
      expect(argument(container, '--cluster_name')).toBe('vidivo');
      expect(argument(container, '--cluster')).toBe('nats://0.0.0.0:6222');
      const routes = argument(container, '--routes')?.split(',');
      expect(routes).toEqual([0, 1, 2].map((ordinal) => `nats://nats-${ordinal}.nats-headless:6222`));
      expect(container.args).toContain('-js');
      expect(container.ports).toContainEqual({ name: 'cluster', containerPort: 6222 });
      expect(find(manifests, 'Service', 'nats-headless')?.spec?.ports).toContainEqual(expect.objectContaining({ name: 'cluster', port: 6222 }));
    });

    it('keeps a quorum through drains and replicates the event stream on all three servers', () => {
      expect(find(manifests, 'PodDisruptionBudget', 'nats')?.spec?.minAvailable).toBe(2);
      expect(config(manifests).EVENTS_STREAM_REPLICAS).toBe('3');
    });
  });

  describe('dev', () => {
    const manifests = rendered('dev');
    const nats = find(manifests, 'StatefulSet', 'nats')!;
    const container = nats.spec!.template!.spec.containers[0];

    it('runs one NATS server with JetStream and no cluster, and the stream on that one server', () => {
      expect(nats.spec?.replicas).toBe(1);
      expect(container.args).toContain('-js');
      expect(argument(container, '--routes')).toBeUndefined();
      expect(config(manifests).EVENTS_STREAM_REPLICAS ?? '1').toBe('1');
    });
  });
});
