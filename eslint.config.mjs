// Lint for the whole workspace (issue 12): typescript-eslint with type information, the Nx
// module boundaries from each project's tags, React hooks rules for the web client, and
// Prettier owning the layout (eslint-config-prettier turns off what would fight it).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Who may import whom, by the tags in each project.json. */
const depConstraints = [
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:platform', 'type:contracts', 'type:domain'] },
  // Apps import libs only; the test helpers only from specs (no-restricted-imports below).
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain', 'type:testing'] },
  { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['type:contracts'] },
  // The compositions put apps together: standalone in one process, cluster as processes.
  { sourceTag: 'type:composition', onlyDependOnLibsWithTags: ['type:app', 'type:platform', 'type:contracts', 'type:domain', 'type:testing'] },
  // Tests across apps, benchmarks and the smoke run drive whole compositions.
  { sourceTag: 'type:integration', onlyDependOnLibsWithTags: ['type:app', 'type:composition', 'type:tools', 'type:platform', 'type:contracts', 'type:domain', 'type:testing'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:app', 'type:composition', 'type:tools', 'type:platform', 'type:contracts', 'type:domain', 'type:testing'] },
  { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:app', 'type:composition', 'type:platform', 'type:contracts', 'type:domain', 'type:testing'] },
  { sourceTag: 'type:smoke', onlyDependOnLibsWithTags: ['type:app', 'type:composition', 'type:platform', 'type:contracts', 'type:domain', 'type:testing'] },
  { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:app', 'type:platform', 'type:contracts', 'type:domain', 'type:testing'] },
  { sourceTag: 'type:deploy', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain', 'type:testing'] },
];

/** Test code: specs, the helpers, and the projects that only test or measure. */
const TEST_FILES = [
  '**/*.spec.ts',
  '**/*-spec.ts',
  '**/testing/**/*.ts',
  'libs/testing/**/*.ts',
  'e2e/**/*.ts',
  'integration/**/*.ts',
  'bench/**/*.ts',
  'smoke/**/*.ts',
  'k8s/**/*.ts',
  'tools/**/*.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', 'tmp/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, depConstraints }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Production code never reaches for the test helpers.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: TEST_FILES,
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: '@vidivo/testing', message: 'The test helpers are for specs only.' }] }] },
  },
  {
    // Tests read untyped JSON answers and reach into pages and payloads: the any-safety rules are
    // for production code. Fakes implement async interfaces without awaiting anything.
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  prettier,
);
