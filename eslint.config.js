// Lint: typescript-eslint's recommended rules, React hooks rules for the web, and the dependency
// direction of ARCHITECTURE.md (modules never import transport; production never imports the emulator).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'client/dist/**',
      'server/generated/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['server/modules/**/*.ts'],
    ignores: ['server/modules/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@trpc/*', 'fastify', '**/trpc/**', '**/api/**', '**/http/**', '**/stripe/webhook*'],
              message: 'Domain modules never import transport.',
            },
            { group: ['**/emulator/**'], message: 'Production code never imports the Stripe emulator.' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts', 'web/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', 'server/dev/emulator-loader.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/emulator/**'],
              message:
                'Production code never imports the Stripe emulator (dev/test only): use server/dev/emulator-loader.ts.',
            },
          ],
        },
      ],
    },
  },
);
