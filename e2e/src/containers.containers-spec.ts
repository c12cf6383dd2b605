import { HttpClient } from '@vidivo/testing';
import { execFileSync } from 'node:child_process';
import { describeAuthContract } from './contract/auth.contract';
import { describeCallsContract } from './contract/calls.contract';
import { describeEdgeContract } from './contract/edge.contract';
import { describeLinksContract } from './contract/links.contract';

/**
 * The production image, every app its own container with compose's restrictions, on the machine's
 * Postgres and NATS. docker/test-containers.sh builds and starts them, then runs this file with
 * e2e/jest.containers.config.js (the normal e2e run does not match `*.containers-spec.ts`):
 *
 *   CONTAINERS_GATEWAY_URL  the gateway container's base URL
 *   CONTAINERS_APPS         JSON: app name -> { container, healthUrl } for every running app
 */
const gatewayUrl = process.env.CONTAINERS_GATEWAY_URL;
const apps: Record<string, { container: string; healthUrl: string }> = JSON.parse(process.env.CONTAINERS_APPS ?? '{}');
if (!gatewayUrl || !Object.keys(apps).length) {
  throw new Error('CONTAINERS_GATEWAY_URL and CONTAINERS_APPS are not set: run `bash docker/test-containers.sh`');
}

const SCHEMA_APPS = ['gateway', 'identity', 'links', 'calls', 'billing', 'scheduling'];
const EVERY_APP = [...SCHEMA_APPS, 'signaling', 'stripe-emulator'];

interface Inspected {
  Name: string;
  Config: { User: string; Image: string; Env: string[] };
  HostConfig: {
    ReadonlyRootfs: boolean;
    CapDrop: string[] | null;
    CapAdd: string[] | null;
    SecurityOpt: string[] | null;
    Tmpfs: Record<string, string> | null;
    Privileged: boolean;
    NetworkMode: string;
  };
  State: { Running: boolean; Health?: { Status: string } };
}

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', timeout: 30_000 });

/** What a process started inside the container sees of itself: who it is, its capabilities, where it may write. */
const probe = `
const fs = require('node:fs');
const status = Object.fromEntries(fs.readFileSync('/proc/self/status', 'utf8').split('\\n').filter(Boolean).map((line) => line.split(/:\\s*/)));
const write = (path) => { try { fs.writeFileSync(path, 'x'); fs.rmSync(path); return 'ok'; } catch (error) { return error.code; } };
console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), capEff: status.CapEff, capBnd: status.CapBnd, noNewPrivs: status.NoNewPrivs, appDir: write('/app/probe'), rootDir: write('/probe'), tmpDir: write('/tmp/probe') }));
`;

describe('the production image, one container per app (read-only, no capabilities, non-root)', () => {
  describe('the containers', () => {
    let inspected: Record<string, Inspected>;
    let imageUser: string;

    beforeAll(() => {
      const names = Object.values(apps).map((app) => app.container);
      const all = JSON.parse(docker('inspect', ...names)) as Inspected[];
      inspected = Object.fromEntries(Object.entries(apps).map(([app, { container }]) => [app, all.find((one) => one.Name === `/${container}`)!]));
      imageUser = docker('image', 'inspect', '--format', '{{.Config.User}}', all[0].Config.Image).trim();
    });

    it('are every app of the platform, each running and healthy by the image HEALTHCHECK', () => {
      expect(Object.keys(apps).sort()).toEqual([...EVERY_APP].sort());
      for (const [app, container] of Object.entries(inspected)) {
        expect({ app, running: container.State.Running, health: container.State.Health?.Status }).toEqual({ app, running: true, health: 'healthy' });
      }
    });

    it('run with the restrictions of docker/compose.yml, as the non-root user the image defines', () => {
      expect(imageUser).toMatch(/^[1-9]\d*(:\d+)?$/);
      for (const [app, { Config, HostConfig }] of Object.entries(inspected)) {
        expect({
          app,
          user: Config.User,
          readOnly: HostConfig.ReadonlyRootfs,
          privileged: HostConfig.Privileged,
          capDrop: HostConfig.CapDrop,
          capAdd: HostConfig.CapAdd ?? [],
        }).toEqual({
          app,
          user: imageUser,
          readOnly: true,
          privileged: false,
          capDrop: ['ALL'],
          capAdd: [],
        });
        expect(HostConfig.SecurityOpt).toEqual(expect.arrayContaining([expect.stringMatching(/^no-new-privileges(:true)?$/)]));
        expect(Object.keys(HostConfig.Tmpfs ?? {})).toEqual(['/tmp']);
      }
    });

    it('give a process inside no capabilities, no new privileges, and nowhere to write but /tmp', () => {
      for (const [app, { container }] of Object.entries(apps)) {
        const seen = JSON.parse(docker('exec', container, 'node', '-e', probe));
        expect({ app, ...seen }).toEqual({
          app,
          uid: Number(imageUser.split(':')[0]),
          gid: expect.any(Number),
          capEff: '0000000000000000',
          capBnd: '0000000000000000',
          noNewPrivs: '1',
          appDir: 'EROFS',
          rootDir: 'EROFS',
          tmpDir: 'ok',
        });
      }
    });

    it('have every app report its own Postgres schema and NATS as ready', async () => {
      const details = async (app: string) => {
        const response = await fetch(apps[app].healthUrl);
        expect({ app, status: response.status }).toEqual({ app, status: 200 });
        return Object.keys(((await response.json()) as { details: object }).details).sort();
      };
      for (const app of SCHEMA_APPS) expect(await details(app)).toEqual(expect.arrayContaining([`postgres:${app}`, 'transport']));
      expect(await details('signaling')).toEqual(expect.arrayContaining(['transport']));
    });
  });

  describe('the HTTP contract, against the gateway container', () => {
    const api = new HttpClient(gatewayUrl);
    describeEdgeContract(() => api);
    describeAuthContract(() => api);
    describeLinksContract(() => api);
    describeCallsContract(() => api);
  });
});
