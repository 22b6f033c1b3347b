// Build: compile src/ to dist/ with tsc, then copy the bundled gradient registrations (made by
// scripts/bundleGradients.mjs, committed under src/) beside it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
copyFileSync('src/tfjsGradients.generated.mjs', 'dist/tfjsGradients.generated.mjs');
console.log('built dist/');
