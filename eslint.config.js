// ESLint's recommended rules over every JavaScript file of the project, with
// browser and Node globals (the package, the page and the workers run in
// both). Generated Emscripten glue and installed or built files are not ours.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/', 'build/', 'node_modules/', 'test-results/', 'tests/fixtures/vite-app/dist/'] },
  js.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node, ...globals.worker },
    },
    // `const { dropped, ...rest } = object` is how a key is left out.
    rules: { 'no-unused-vars': ['error', { ignoreRestSiblings: true }] },
  },
];
