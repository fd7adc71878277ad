// ESLint (flat config) for the dashboard and the SDK, which run in the browser, and for the build
// script and the tests, which run in Node. Formatting is Prettier's alone (`npm run lint` runs
// `prettier --check` after ESLint); the rules here are ESLint's recommended set plus a few that catch
// real bugs rather than style.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** The rules both front-end projects use (widget-host/src/main/widgets/eslint.config.js has the same). */
const rules = {
  // unused code is usually a bug or a leftover; `_name` marks a parameter kept for its position, and
  // `const { a, ...rest } = o` may drop `a` on purpose
  'no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', ignoreRestSiblings: true }],
  // `==` coerces ('' == 0); `x == null` is the one idiom for "null or undefined"
  eqeqeq: ['error', 'always', { null: 'ignore' }],
  // a top-level `var` or function of a classic script becomes a property of window (ES modules, all
  // the code here today, have no such globals: this guards a script added later)
  'no-implicit-globals': 'error',
  // a `map` or `filter` callback that forgets to return, a `'${x}'` that was meant as a template
  'array-callback-return': 'error',
  'no-template-curly-in-string': 'error',
  // a `const`, `let` or `class` read before its line in the same scope throws at run time (functions
  // are hoisted; a reference from inside a function that runs later is fine)
  'no-use-before-define': ['error', { functions: false, classes: false, variables: false }],
  'no-self-compare': 'error',
  'no-unmodified-loop-condition': 'error',
  'no-promise-executor-return': 'error',
  // `var` leaks out of blocks; a `let` never reassigned hides which bindings do change
  'no-var': 'error',
  'prefer-const': ['error', { destructuring: 'all' }],
  // browser globals that are easy to use by mistake for a missing local (`event`, `name`, `status`…)
  'no-restricted-globals': ['error', 'event', 'name', 'status', 'length', 'top', 'parent', 'closed', 'origin'],
};

export default [
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules,
  },
  // page code: the dashboard, the SDK, the reference page
  { files: ['src/**/*.js'], languageOptions: { globals: globals.browser } },
  // sockjs-client's transport list, replaced at build time (CommonJS, bundled for the browser)
  { files: ['src/**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: globals.commonjs } },
  // the build, this file and the tests run in Node
  { files: ['*.js', '*.mjs', 'test/**/*.js'], languageOptions: { globals: globals.node } },
  // last: turns off any rule that would fight Prettier's formatting
  prettier,
];
