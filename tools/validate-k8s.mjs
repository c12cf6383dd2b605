#!/usr/bin/env node
// Renders every overlay of k8s/ with `kubectl kustomize`, validates each document against the
// Kubernetes OpenAPI schema of its kind (the kubernetes-models package), and checks the house
// rules: probes, resources and a locked-down securityContext on every workload, Services, PDBs
// and autoscalers that point at something, the Secret only referenced, and what each overlay
// promises (dev: one replica and the Stripe emulator; prod: replicas, autoscaling, no emulator).
//
//   node tools/validate-k8s.mjs          a summary; exit 1 on any problem
//   node tools/validate-k8s.mjs --json   the report that k8s/manifests.spec.ts turns into tests
//
// ES module because kubernetes-models is one (jest runs this as a child process).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OVERLAYS = ['dev', 'prod'];
const SECRET_NAME = 'vidivo-secrets';
const CONFIG_NAME = 'vidivo-config';
const APPS = ['gateway', 'identity', 'links', 'calls', 'billing', 'scheduling', 'signaling'];
const EDGE_APPS = ['gateway', 'signaling'];
const EMULATOR = 'stripe-emulator';
/** Kinds with no schema in kubernetes-models that may still appear (a CRD, say), by apiVersion/kind. */
const ALLOWED_WITHOUT_SCHEMA = new Set([]);
const WEBSOCKET_TIMEOUT_SECONDS = 3600;
/**
 * What each APP cannot start without (README, configuration), from its env or the ConfigMap.
 * migrate builds every app that owns a schema, so it needs what their providers check.
 */
const NEEDS = {
  gateway: ['NATS_URL', 'DATABASE_URL', 'JWT_PUBLIC_KEY'],
  identity: ['NATS_URL', 'DATABASE_URL', 'JWT_PRIVATE_KEY'],
  links: ['NATS_URL', 'DATABASE_URL'],
  calls: ['NATS_URL', 'DATABASE_URL', 'JWT_PRIVATE_KEY', 'TURN_SECRET', 'TURN_URLS', 'SIGNALING_PUBLIC_URL'],
  billing: ['NATS_URL', 'DATABASE_URL', 'STRIPE_SECRET_KEY'],
  scheduling: ['NATS_URL', 'DATABASE_URL', 'PUBLIC_WEB_URL'],
  signaling: ['NATS_URL', 'JWT_PUBLIC_KEY'],
  migrate: ['DATABASE_URL', 'JWT_PRIVATE_KEY', 'JWT_PUBLIC_KEY', 'TURN_SECRET', 'STRIPE_SECRET_KEY'],
  'stripe-emulator': [],
};
const KUSTOMIZE_MAJOR = 5;

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

/** `node … --json` or a summary. */
async function main() {
  const report = await validate();
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(report));
    return;
  }
  let problems = 0;
  for (const overlay of report.overlays) {
    const checks = [...overlay.checks, ...overlay.documents.flatMap((doc) => doc.checks.map((check) => ({ ...check, rule: `${doc.id}: ${check.rule}` })))];
    const failed = checks.filter((check) => check.problems.length > 0);
    problems += failed.length + (overlay.error ? 1 : 0);
    console.log(`${overlay.name}: ${overlay.error ? 'not rendered' : `${overlay.documents.length} documents, ${checks.length - failed.length}/${checks.length} checks pass`}`);
    if (overlay.error) console.log(`  ${overlay.error}`);
    for (const check of failed) console.log(`  ✗ ${check.rule}\n${check.problems.map((p) => `      ${p}`).join('\n')}`);
  }
  console.log(report.kubectl ? `(${report.kubectl})` : '');
  process.exitCode = problems > 0 ? 1 : 0;
}

/** The whole report: which kubectl, and per overlay its documents with their checks. */
export async function validate() {
  const kubectl = kubectlVersion();
  const overlays = [];
  for (const name of OVERLAYS) {
    if (kubectl.error) {
      overlays.push({ name, error: kubectl.error, documents: [], checks: [] });
      continue;
    }
    let rendered;
    try {
      rendered = execFileSync('kubectl', ['kustomize', join(ROOT, 'k8s', 'overlays', name)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 32 * 1024 * 1024 });
    } catch (error) {
      overlays.push({ name, error: `kubectl kustomize k8s/overlays/${name} failed: ${String(error.stderr || error.message).trim()}`, documents: [], checks: [] });
      continue;
    }
    overlays.push(await checkOverlay(name, rendered));
  }
  return { kubectl: kubectl.description, overlays };
}

function kubectlVersion() {
  let output;
  try {
    output = execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if (error.code === 'ENOENT') {
      return {
        error: `kubectl is not installed: the manifests are rendered with \`kubectl kustomize\`, which needs kubectl 1.27 or later (kustomize v${KUSTOMIZE_MAJOR}); .ci/run installs the kubectl package when it is missing`,
      };
    }
    return { error: `kubectl version failed: ${String(error.stderr || error.message).trim()}` };
  }
  const version = JSON.parse(output);
  const client = version.clientVersion?.gitVersion ?? 'unknown';
  const kustomize = version.kustomizeVersion;
  const major = Number(/^v(\d+)/.exec(kustomize ?? '')?.[1] ?? 0);
  const description = `kubectl ${client}, kustomize ${kustomize ?? 'unknown'}`;
  if (major < KUSTOMIZE_MAJOR) {
    return { description, error: `${description}: the overlays need kustomize v${KUSTOMIZE_MAJOR} or later, which kubectl 1.27 and later bundle` };
  }
  return { description };
}

// ---------------------------------------------------------------------------------------------

async function checkOverlay(name, rendered) {
  const documents = [];
  for (const parsed of parseAllDocuments(rendered)) {
    if (parsed.errors.length > 0) throw new Error(`${name}: unparsable YAML from kubectl: ${parsed.errors[0].message}`);
    const object = parsed.toJS();
    if (object) documents.push(object);
  }
  const context = buildContext(name, documents);
  const results = [];
  for (const object of documents) {
    const checks = [{ rule: 'schema', problems: await schemaProblems(object) }];
    for (const [rule, check] of Object.entries(DOCUMENT_RULES)) {
      const problems = check(object, context);
      if (problems !== undefined) checks.push({ rule, problems });
    }
    results.push({ id: `${object.kind}/${object.metadata?.name}`, kind: object.kind, name: object.metadata?.name, checks });
  }
  const checks = Object.entries({ ...OVERLAY_RULES.all, ...OVERLAY_RULES[name] }).map(([rule, check]) => ({ rule, problems: check(context) }));
  const config = context.configMaps.get(CONFIG_NAME)?.data ?? null;
  return { name, documents: results, checks, config };
}

function buildContext(overlay, documents) {
  const of = (kind) => documents.filter((object) => object.kind === kind);
  const configMaps = new Map(of('ConfigMap').map((map) => [map.metadata.name.replace(/-[a-z0-9]{10}$/, ''), map]));
  const hashedConfigMaps = new Set(of('ConfigMap').map((map) => map.metadata.name));
  return {
    overlay,
    documents,
    of,
    configMaps,
    hashedConfigMaps,
    workloads: documents.filter((object) => WORKLOADS.has(object.kind)),
    documentedSecretKeys: secretExampleKeys(),
  };
}

function secretExampleKeys() {
  const text = readFileSync(join(ROOT, 'k8s', 'secret.example.env'), 'utf8');
  return new Set(
    text
      .split('\n')
      .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line.trim())?.[1])
      .filter(Boolean),
  );
}

/** The kubernetes-models class for an apiVersion and kind, or undefined when it has none. */
const models = new Map();
async function modelFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) {
    let model;
    try {
      const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
      model = module[kind];
      if (model?.apiVersion !== apiVersion || model?.kind !== kind) model = undefined; // a nested type, not a kind
    } catch {
      model = undefined;
    }
    models.set(key, model);
  }
  return models.get(key);
}

async function schemaProblems(object) {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['no apiVersion or kind'];
  const model = await modelFor(apiVersion, kind);
  if (!model)
    return ALLOWED_WITHOUT_SCHEMA.has(`${apiVersion}/${kind}`) ? [] : [`no schema for ${apiVersion} ${kind}: an unknown kind (allow it in ALLOWED_WITHOUT_SCHEMA if intended)`];
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    if (!Array.isArray(error.errors)) throw error;
    return error.errors.map(
      (problem) => `${problem.instancePath || '/'} ${problem.message}${problem.params?.allowedValues ? ` (${problem.params.allowedValues.join(', ')})` : ''}`,
    );
  }
}

// --- rules on one document (undefined: does not apply) ----------------------------------------

const podSpec = (object) => object.spec?.template?.spec;
const containersOf = (object) => [...(podSpec(object)?.initContainers ?? []), ...(podSpec(object)?.containers ?? [])];
const podLabels = (object) => object.spec?.template?.metadata?.labels ?? {};
const selects = (selector, labels) => selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);
const isOurs = (container) => (container.env ?? []).some((variable) => variable.name === 'APP');
const appOf = (container) => (container.env ?? []).find((variable) => variable.name === 'APP')?.value;

const DOCUMENT_RULES = {
  /** Non-root, read-only root filesystem, no capabilities, no privilege escalation, RuntimeDefault seccomp. */
  'security context'(object) {
    if (!WORKLOADS.has(object.kind)) return undefined;
    const pod = podSpec(object)?.securityContext ?? {};
    const problems = [];
    for (const container of containersOf(object)) {
      const own = container.securityContext ?? {};
      const where = `container ${container.name}`;
      if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot is not true`);
      if ((own.runAsUser ?? pod.runAsUser) === 0) problems.push(`${where}: runAsUser is 0`);
      if (own.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
      if (own.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (own.privileged === true) problems.push(`${where}: privileged`);
      if (!(own.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities.drop lacks ALL`);
      if ((own.capabilities?.add ?? []).length > 0) problems.push(`${where}: adds capabilities ${own.capabilities.add.join(', ')}`);
      if ((own.seccompProfile ?? pod.seccompProfile)?.type !== 'RuntimeDefault') problems.push(`${where}: seccompProfile is not RuntimeDefault`);
    }
    if (podSpec(object)?.automountServiceAccountToken !== false) problems.push('automountServiceAccountToken is not false (no app talks to the API server)');
    return problems;
  },

  /** Requests for CPU and memory (the autoscalers and the scheduler need them) and a memory limit. */
  resources(object) {
    if (!WORKLOADS.has(object.kind)) return undefined;
    const problems = [];
    for (const container of containersOf(object)) {
      const { requests = {}, limits = {} } = container.resources ?? {};
      for (const [field, value] of [
        ['requests.cpu', requests.cpu],
        ['requests.memory', requests.memory],
        ['limits.memory', limits.memory],
      ]) {
        if (value === undefined) problems.push(`container ${container.name}: no ${field}`);
      }
    }
    return problems;
  },

  /** Every container of our image names a known APP and gets the settings that app needs. */
  'settings the app needs'(object, context) {
    if (!WORKLOADS.has(object.kind)) return undefined;
    const problems = [];
    for (const container of containersOf(object).filter(isOurs)) {
      const app = appOf(container);
      if (!(app in NEEDS)) {
        problems.push(`container ${container.name}: APP=${app} is no app of the image`);
        continue;
      }
      const provided = new Set((container.env ?? []).map((variable) => variable.name));
      for (const source of container.envFrom ?? []) {
        const map = context.of('ConfigMap').find((candidate) => candidate.metadata.name === source.configMapRef?.name);
        for (const key of Object.keys(map?.data ?? {})) provided.add(key);
      }
      for (const key of NEEDS[app]) if (!provided.has(key)) problems.push(`container ${container.name} (APP=${app}): no ${key}`);
    }
    return problems;
  },

  /** Both probes on every long-running container, on ports it declares; our apps use /health/ready and /health/live. */
  probes(object) {
    if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') return undefined;
    const problems = [];
    for (const container of podSpec(object)?.containers ?? []) {
      const ports = new Set((container.ports ?? []).flatMap((port) => [port.name, port.containerPort]));
      for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        const probe = container[kind];
        if (!probe) {
          if (kind !== 'startupProbe') problems.push(`container ${container.name}: no ${kind}`);
          continue;
        }
        const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
        if (port !== undefined && !ports.has(port)) problems.push(`container ${container.name}: ${kind} uses port ${port}, which the container does not declare`);
      }
      if (isOurs(container) && appOf(container) !== EMULATOR) {
        if (container.readinessProbe?.httpGet?.path !== '/health/ready') problems.push(`container ${container.name}: readinessProbe is not GET /health/ready`);
        if (container.livenessProbe?.httpGet?.path !== '/health/live') problems.push(`container ${container.name}: livenessProbe is not GET /health/live`);
      }
    }
    return problems;
  },

  /** A pinned image: a tag, never latest. */
  image(object) {
    if (!WORKLOADS.has(object.kind)) return undefined;
    return containersOf(object)
      .filter((container) => !/^[^@]+:[^/:]+$/.test(container.image ?? '') && !/@sha256:/.test(container.image ?? ''))
      .map((container) => `container ${container.name}: image ${container.image} has no tag`)
      .concat(
        containersOf(object)
          .filter((container) => /:latest$/.test(container.image ?? ''))
          .map((container) => `container ${container.name}: image ${container.image} is :latest`),
      );
  },

  /** Secrets only by reference to vidivo-secrets, with keys that secret.example.env documents; ConfigMaps that exist. */
  'configuration references'(object, context) {
    if (!WORKLOADS.has(object.kind)) return undefined;
    const problems = [];
    for (const container of containersOf(object)) {
      for (const variable of container.env ?? []) {
        const secret = variable.valueFrom?.secretKeyRef;
        if (secret) {
          if (secret.name !== SECRET_NAME) problems.push(`${variable.name}: from Secret ${secret.name}, not ${SECRET_NAME}`);
          if (!context.documentedSecretKeys.has(secret.key)) problems.push(`${variable.name}: Secret key ${secret.key} is not in k8s/secret.example.env`);
        }
        const map = variable.valueFrom?.configMapKeyRef;
        if (map && !context.hashedConfigMaps.has(map.name)) problems.push(`${variable.name}: ConfigMap ${map.name} is not rendered`);
        if (/KEY|SECRET|PASSWORD|DATABASE_URL/.test(variable.name) && variable.value !== undefined) problems.push(`${variable.name}: a secret given as a literal value`);
      }
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef && !context.hashedConfigMaps.has(source.configMapRef.name)) problems.push(`envFrom ConfigMap ${source.configMapRef.name} is not rendered`);
        if (source.secretRef && source.secretRef.name !== SECRET_NAME) problems.push(`envFrom Secret ${source.secretRef.name}, not ${SECRET_NAME}`);
      }
    }
    return problems;
  },

  /** A Deployment is reachable (a Service selects it), protected (a PDB selects it) and sized by replicas xor an autoscaler. */
  'service, disruption budget, replicas'(object, context) {
    if (object.kind !== 'Deployment') return undefined;
    const labels = podLabels(object);
    const problems = [];
    if (!context.of('Service').some((service) => selects(service.spec?.selector, labels))) problems.push('no Service selects its pods');
    if (!context.of('PodDisruptionBudget').some((budget) => selects(budget.spec?.selector?.matchLabels, labels))) problems.push('no PodDisruptionBudget selects its pods');
    const autoscaled = context
      .of('HorizontalPodAutoscaler')
      .some((hpa) => hpa.spec?.scaleTargetRef?.kind === 'Deployment' && hpa.spec.scaleTargetRef.name === object.metadata.name);
    if (autoscaled && object.spec?.replicas !== undefined) problems.push('sets replicas although an autoscaler owns the count (every apply would reset it)');
    if (!autoscaled && object.spec?.replicas === undefined) problems.push('neither replicas nor an autoscaler');
    return problems;
  },

  /** A Service selects pods of a workload, and named target ports exist there. */
  'service targets'(object, context) {
    if (object.kind !== 'Service') return undefined;
    const targets = context.workloads.filter((workload) => selects(object.spec?.selector, podLabels(workload)));
    if (targets.length === 0) return ['selects no workload'];
    const declared = new Set(
      targets.flatMap((workload) => containersOf(workload).flatMap((container) => (container.ports ?? []).flatMap((port) => [port.name, port.containerPort]))),
    );
    return (object.spec?.ports ?? [])
      .filter((port) => port.targetPort !== undefined && !declared.has(port.targetPort))
      .map((port) => `port ${port.name ?? port.port}: targetPort ${port.targetPort} is not declared by the pods`);
  },

  'disruption budget target'(object, context) {
    if (object.kind !== 'PodDisruptionBudget') return undefined;
    return context.workloads.some((workload) => selects(object.spec?.selector?.matchLabels, podLabels(workload))) ? [] : ['selects no workload'];
  },

  /** An autoscaler targets a Deployment that has CPU requests, with 1 ≤ min ≤ max. */
  'autoscaler target'(object, context) {
    if (object.kind !== 'HorizontalPodAutoscaler') return undefined;
    const { scaleTargetRef: target, minReplicas = 1, maxReplicas } = object.spec ?? {};
    const deployment = context.of(target?.kind).find((candidate) => candidate.metadata.name === target?.name);
    const problems = [];
    if (!deployment) problems.push(`targets ${target?.kind}/${target?.name}, which is not rendered`);
    else if (containersOf(deployment).some((container) => container.resources?.requests?.cpu === undefined))
      problems.push('targets pods without CPU requests (CPU utilisation is relative to them)');
    if (!(minReplicas >= 1 && minReplicas <= maxReplicas)) problems.push(`minReplicas ${minReplicas} / maxReplicas ${maxReplicas}`);
    return problems;
  },

  /** Every backend is a rendered Service port; the signaling host keeps WebSockets open for an hour. */
  'ingress backends'(object, context) {
    if (object.kind !== 'Ingress') return undefined;
    const problems = [];
    const backends = (object.spec?.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((path) => path.backend?.service));
    for (const backend of backends) {
      const service = context.of('Service').find((candidate) => candidate.metadata.name === backend?.name);
      if (!service) {
        problems.push(`backend Service ${backend?.name} is not rendered`);
        continue;
      }
      const port = backend.port ?? {};
      if (!(service.spec?.ports ?? []).some((candidate) => (port.name !== undefined ? candidate.name === port.name : candidate.port === port.number)))
        problems.push(`Service ${backend.name} has no port ${port.name ?? port.number}`);
    }
    if (backends.some((backend) => backend?.name === 'signaling')) {
      const annotations = object.metadata?.annotations ?? {};
      for (const annotation of ['nginx.ingress.kubernetes.io/proxy-read-timeout', 'nginx.ingress.kubernetes.io/proxy-send-timeout']) {
        if (!(Number(annotations[annotation]) >= WEBSOCKET_TIMEOUT_SECONDS))
          problems.push(`${annotation} is ${annotations[annotation] ?? 'unset'}, below ${WEBSOCKET_TIMEOUT_SECONDS} s (WebSockets would be cut)`);
      }
    }
    return problems;
  },
};

// --- rules on a whole overlay --------------------------------------------------------------

const deployment = (context, name) => context.of('Deployment').find((candidate) => candidate.metadata.name === name);
const autoscaler = (context, name) => context.of('HorizontalPodAutoscaler').find((candidate) => candidate.spec?.scaleTargetRef?.name === name);
const configValue = (context, key) => context.configMaps.get(CONFIG_NAME)?.data?.[key];

const OVERLAY_RULES = {
  all: {
    'every app, NATS with JetStream and the migration Job are deployed'(context) {
      const problems = APPS.filter((app) => !deployment(context, app)).map((app) => `no Deployment ${app}`);
      for (const app of APPS) {
        const container = podSpec(deployment(context, app) ?? {})?.containers?.[0];
        if (container && appOf(container) !== app) problems.push(`Deployment ${app} runs APP=${appOf(container)}`);
      }
      const nats = context.of('StatefulSet').find((candidate) => candidate.metadata.name === 'nats');
      if (!nats) problems.push('no StatefulSet nats');
      else {
        const args = podSpec(nats).containers[0].args ?? [];
        if (!args.includes('-js')) problems.push('nats runs without -js (JetStream)');
        const store = args[args.indexOf('-sd') + 1];
        const mounts = podSpec(nats).containers[0].volumeMounts ?? [];
        const claims = (nats.spec.volumeClaimTemplates ?? []).map((claim) => claim.metadata.name);
        if (!mounts.some((mount) => mount.mountPath === store && claims.includes(mount.name))) problems.push(`the JetStream store (${store}) is not on a PersistentVolumeClaim`);
      }
      const job = context.of('Job').find((candidate) => candidate.metadata.name === 'migrate');
      if (!job) problems.push('no Job migrate');
      else if (appOf(podSpec(job).containers[0]) !== 'migrate') problems.push('Job migrate does not run APP=migrate');
      return problems;
    },
    'no Secret values: the Secret is referenced, not rendered'(context) {
      return context.of('Secret').map((secret) => `Secret ${secret.metadata.name} is rendered`);
    },
    'the signaling host has its own Ingress, the API host another'(context) {
      const byBackend = (name) =>
        context.of('Ingress').filter((ingress) => (ingress.spec?.rules ?? []).some((rule) => (rule.http?.paths ?? []).some((path) => path.backend?.service?.name === name)));
      const problems = [];
      const [api] = byBackend('gateway');
      const [signaling] = byBackend('signaling');
      if (!api) problems.push('no Ingress for the gateway');
      if (!signaling) problems.push('no Ingress for signaling');
      if (api && signaling && api.metadata.name === signaling.metadata.name) problems.push('one Ingress for both hosts');
      const signalingHost = signaling?.spec?.rules?.[0]?.host;
      const url = configValue(context, 'SIGNALING_PUBLIC_URL');
      if (signalingHost && url && new URL(url).host !== signalingHost) problems.push(`SIGNALING_PUBLIC_URL ${url} is not on the signaling host ${signalingHost}`);
      return problems;
    },
  },
  dev: {
    'one replica of everything, no autoscaling'(context) {
      const problems = context
        .of('Deployment')
        .filter((candidate) => candidate.spec?.replicas !== 1)
        .map((candidate) => `Deployment ${candidate.metadata.name}: replicas ${candidate.spec?.replicas}`);
      return problems.concat(context.of('HorizontalPodAutoscaler').map((hpa) => `HorizontalPodAutoscaler ${hpa.metadata.name}`));
    },
    'payments go to the Stripe emulator'(context) {
      const emulator = deployment(context, EMULATOR);
      if (!emulator) return [`no Deployment ${EMULATOR}`];
      const problems = [];
      if (appOf(podSpec(emulator).containers[0]) !== EMULATOR) problems.push(`Deployment ${EMULATOR} does not run APP=${EMULATOR}`);
      const service = context.of('Service').find((candidate) => selects(candidate.spec?.selector, podLabels(emulator)));
      const base = configValue(context, 'STRIPE_API_BASE');
      const expected = service && `http://${service.metadata.name}:${service.spec.ports[0].port}`;
      if (base !== expected) problems.push(`STRIPE_API_BASE is ${base ?? 'unset'}, not the emulator's Service (${expected})`);
      return problems;
    },
  },
  prod: {
    'no Stripe emulator: real Stripe'(context) {
      const problems = [];
      if (deployment(context, EMULATOR)) problems.push(`Deployment ${EMULATOR} is rendered`);
      if (configValue(context, 'STRIPE_API_BASE')) problems.push(`STRIPE_API_BASE is ${configValue(context, 'STRIPE_API_BASE')}`);
      return problems;
    },
    'the edges autoscale, every other app has several replicas'(context) {
      const problems = [];
      for (const app of EDGE_APPS) {
        const hpa = autoscaler(context, app);
        if (!hpa) problems.push(`no HorizontalPodAutoscaler for ${app}`);
        else if (!(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas > hpa.spec.minReplicas)) problems.push(`${app}: min ${hpa.spec.minReplicas}, max ${hpa.spec.maxReplicas}`);
      }
      for (const app of APPS.filter((name) => !EDGE_APPS.includes(name))) {
        const replicas = deployment(context, app)?.spec?.replicas;
        if (!(replicas >= 2)) problems.push(`Deployment ${app}: replicas ${replicas}`);
      }
      return problems;
    },
    'TLS on every host, no development image'(context) {
      const problems = [];
      for (const ingress of context.of('Ingress')) {
        const covered = new Set((ingress.spec?.tls ?? []).flatMap((tls) => tls.hosts ?? []));
        for (const rule of ingress.spec?.rules ?? []) if (!covered.has(rule.host)) problems.push(`Ingress ${ingress.metadata.name}: ${rule.host} without TLS`);
      }
      for (const workload of context.workloads) {
        for (const container of containersOf(workload)) if (/:dev$/.test(container.image)) problems.push(`${workload.kind} ${workload.metadata.name}: image ${container.image}`);
      }
      for (const key of ['PUBLIC_WEB_URL', 'SIGNALING_PUBLIC_URL']) {
        const url = configValue(context, key);
        if (url && !/^(https|wss):/.test(url)) problems.push(`${key} ${url} is not https/wss`);
      }
      return problems;
    },
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
