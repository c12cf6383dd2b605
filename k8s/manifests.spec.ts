import { loadConfig } from '@vidivo/platform';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

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
