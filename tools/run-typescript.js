// Lets a tool's command-line launcher require the repository's TypeScript sources as they are:
// each .ts file is compiled on require by SWC with the repository's .swcrc, as jest compiles them
// (decorator metadata, path aliases), so nothing has to be built first.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/** Installs the .ts loader once, then requires `path` (a .ts file). */
function requireTypeScript(path) {
  if (!require.extensions['.ts']) {
    const { transformSync } = require('@swc/core');
    const root = join(__dirname, '..');
    const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
    swcrc.jsc.baseUrl = root;
    require.extensions['.ts'] = (module, filename) => {
      const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcrc, swcrc: false, sourceMaps: false, filename });
      module._compile(code, filename);
    };
    require('reflect-metadata');
  }
  return require(path);
}

module.exports = { requireTypeScript };
