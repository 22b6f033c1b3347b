// Node module-resolution hook: lets plain Node ESM load tfjs-core's ESM sources
// (dist/register_all_gradients.js and what it imports), whose relative imports
// carry no file extension. Only specifiers from inside tfjs-core/dist are touched.
import { existsSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TFJS_DIST = '/@tensorflow/tfjs-core/dist/';

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (parent !== undefined && parent.includes(TFJS_DIST) && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    const base = resolvePath(dirname(fileURLToPath(parent)), specifier);
    const file = existsSync(base + '.js') ? base + '.js' : resolvePath(base, 'index.js');
    return nextResolve(pathToFileURL(file).href, context);
  }
  return nextResolve(specifier, context);
}
