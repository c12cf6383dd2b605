import { benchCalls } from './calls.bench';
import { benchScheduling } from './scheduling.bench';
import { benchSignaling } from './signaling.bench';
import { benchSoak } from './soak.bench';

const BENCHMARKS: Record<string, () => Promise<void>> = { calls: benchCalls, signaling: benchSignaling, scheduling: benchScheduling, soak: benchSoak };
/** Run only when named: the soak takes 30 minutes. */
const ONLY_WHEN_NAMED = new Set(['soak']);

/** `npm run bench -- <name>`: runs one benchmark, or all of them but the soak without a name. */
async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  for (const name of requested.length > 0 ? requested : Object.keys(BENCHMARKS).filter((name) => !ONLY_WHEN_NAMED.has(name))) await BENCHMARKS[name]();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
