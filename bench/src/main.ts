import { benchCalls } from './calls.bench';
import { benchScheduling } from './scheduling.bench';
import { benchSignaling } from './signaling.bench';

const BENCHMARKS: Record<string, () => Promise<void>> = { calls: benchCalls, signaling: benchSignaling, scheduling: benchScheduling };

/** `npm run bench -- <name>`: runs one benchmark, or all of them without a name. */
async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  for (const name of requested.length > 0 ? requested : Object.keys(BENCHMARKS)) await BENCHMARKS[name]();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
