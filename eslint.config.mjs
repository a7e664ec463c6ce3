import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'reports/**', '.stryker-tmp/**', '*.vsix'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // The core runs in plain Node (CLI, unit tests, language server): it must never depend on the editor.
    files: ['src/core/**/*.ts', 'src/cli.ts', 'src/cli/**/*.ts', 'src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core, src/cli and src/server run without the editor: no vscode import.' }],
          patterns: [{ group: ['**/ui/**', '**/extension'], message: 'The core must not depend on the editor adapters.' }],
        },
      ],
    },
  },
  {
    // Small pieces: no source file over 500 lines, no function over 80 (blank lines and comments aside).
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 500 }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs', 'test/fixtures/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
