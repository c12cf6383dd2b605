import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_REFERENCE_DIR, REGENERATE_COMMAND, apiReferenceFiles, buildOpenApiDocument } from './write-api-reference';

/** The first line where two texts part, to show what changed. */
function firstDifference(committed: string, generated: string): string {
  const [a, b] = [committed.split('\n'), generated.split('\n')];
  const line = a.findIndex((text, index) => text !== b[index]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}:\n  committed: ${a[at] ?? '(end of file)'}\n  from code: ${b[at] ?? '(end of file)'}`;
}

/**
 * docs/api/ is committed and generated from the controllers and libs/contracts; a change to either
 * must come with the regenerated files, or this fails and names the command that rewrites them
 * (`npm run docs:api`, tools/write-api-reference.ts).
 */
describe('docs/api: the committed API reference is the one the code gives', () => {
  let files: Record<string, string>;

  beforeAll(async () => {
    files = apiReferenceFiles(await buildOpenApiDocument());
  }, 60_000);

  it.each(['openapi.json', 'README.md'])('docs/api/%s is up to date', (name) => {
    let committed: string;
    try {
      committed = readFileSync(join(API_REFERENCE_DIR, name), 'utf8');
    } catch {
      throw new Error(`docs/api/${name} is missing: run \`${REGENERATE_COMMAND}\` and commit docs/api/`);
    }
    if (committed !== files[name]) {
      throw new Error(
        `docs/api/${name} is out of date with the code: run \`${REGENERATE_COMMAND}\` and commit docs/api/\n(first change at ${firstDifference(committed, files[name])})`,
      );
    }
  });

  it('builds the same document twice (the files do not depend on when or where they are made)', async () => {
    expect(apiReferenceFiles(await buildOpenApiDocument())).toEqual(files);
  });
});
