// Loaded with `node --import` (NODE_OPTIONS) into a server under test: records every file the
// process resolves through import or require (module.registerHooks sees both) and writes the list
// to $RECORD_LOADED_FILES when the process exits. server/production-build.test.ts reads it to
// prove the built server runs from dist/ and runtime dependencies only.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const out = process.env.RECORD_LOADED_FILES;
const seen = new Set();
if (out) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const result = nextResolve(specifier, context);
      if (result.url?.startsWith('file:')) seen.add(result.url);
      return result;
    },
  });
  process.on('exit', () => writeFileSync(out, [...seen].sort().join('\n') + '\n'));
}
