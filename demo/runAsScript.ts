// The entry of the demo and the reproduction when run as a script: parse the flags, print the usage or run, and turn
// an error into a message (with the usage after a flag error, a RangeError) and exit code 1.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** runAsScript(moduleUrl, usage, parse, main, { stack }): when moduleUrl is the script node was started with, run it. */
export async function runAsScript<A>(
  moduleUrl: string,
  usage: string,
  parse: (argv: readonly string[]) => A | 'help',
  main: (args: A) => Promise<unknown>,
  options: { readonly stack?: boolean } = {},
): Promise<void> {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(resolve(process.argv[1])).href) return;
  try {
    const args = parse(process.argv.slice(2));
    if (args === 'help') process.stdout.write(usage);
    else await main(args);
  } catch (e) {
    const text = e instanceof Error ? (options.stack === true ? (e.stack ?? e.message) : e.message) : String(e);
    process.stderr.write(`\n${text}\n`);
    if (e instanceof RangeError) process.stderr.write(usage);
    process.exitCode = 1;
  }
}
