// The demo (`npm start`) and the reproduction (`npm run reproduce`) in their smallest configurations, run in-process:
// the table is printed, the charts are written and well-formed, the report lists every method, a rerun resumes.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main as demo, parseDemoArgs } from '../demo/main.js';
import { progressPrinter } from '../demo/progress.js';
import { textChart } from '../demo/textChart.js';
import { LABEL, METHODS, parseMethods } from '../demo/run.js';
import { main as reproduce, parseReproduceArgs } from '../scripts/reproduce.js';

const dirs: string[] = [];
const temp = (name: string): string => {
  const d = mkdtempSync(join(tmpdir(), `optimix-${name}-`));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const sink = () => {
  const s = { text: '', write: (x: string) => ((s.text += x), true) };
  return s;
};

function assertSvg(path: string, ...labels: string[]): void {
  assert.ok(existsSync(path), `${path} exists`);
  const svg = readFileSync(path, 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg.trimEnd(), /<\/svg>$/);
  assert.doesNotMatch(svg, /NaN|undefined/);
  for (const l of labels) assert.ok(svg.includes(`>${l}<`), `${path} mentions ${l}`);
}

test('demo: trains SGD, SAM and RWP, prints the comparison table and writes the accuracy-vs-time chart', async () => {
  const out = temp('demo');
  const stdout = sink();
  const progress = sink();
  const r = await demo({ epochs: 2, trainSize: 64, testSize: 64, batchSize: 32, out, stdout, progress });
  assert.deepEqual(r.rows.map((x) => x.method), ['sgd', 'sam', 'rwp']);
  assert.match(stdout.text, /26 of their labels flipped/, 'round(0.4 · 64) = 26 labels flipped by default');
  assert.match(stdout.text, /\| method +\| test accuracy \| train acc \(noisy labels\) \| memorized flips \| wall time \| time vs SGD \| gradient evals \|/);
  assert.match(stdout.text, /test accuracy \(%\) by epoch  \(S = SGD, A = SAM, R = RWP; \* = overlap\)/, 'the text chart and its legend');
  for (const name of ['SGD', 'SAM', 'RWP']) assert.match(stdout.text, new RegExp(`\\| ${name} +\\| +\\d+\\.\\d\\d% \\|`));
  const [sgd, sam, rwp] = r.rows;
  assert.equal(sgd?.steps, 4);
  assert.equal(sgd?.gradEvals, 4);
  assert.equal(sam?.gradEvals, 8);
  assert.equal(rwp?.gradEvals, 8);
  assert.equal(rwp?.interpreter, 'parallel(1)');
  assert.equal(sgd?.relativeTime, 1);
  for (const row of r.rows) {
    assert.ok(row.testAccuracy >= 0 && row.testAccuracy <= 1);
    assert.ok(row.memorized >= 0 && row.memorized <= 1);
    assert.ok(row.seconds > 0);
  }
  // Not a TTY: one plain line per epoch and run.
  assert.equal(progress.text.match(/epoch \d\/2 +train loss/g)?.length, 6);
  assert.doesNotMatch(progress.text, /\r/);
  assertSvg(r.chartPath, 'SGD', 'SAM', 'RWP');
});

test('demo: on a TTY the bar is redrawn within an epoch and every finished epoch keeps its own line', () => {
  const s = Object.assign(sink(), { isTTY: true, columns: 200 });
  const p = progressPrinter(s);
  const record = (epoch: number, testAccuracy: number) => ({ epoch, seconds: 2 * epoch, trainLoss: 0.4, testLoss: 0.3, testAccuracy, gradEvals: 20 * epoch, samplesPerSecond: 1000 });
  p({ kind: 'start', method: 'rwp', epochs: 2, stepsPerEpoch: 10, formula: 'f' });
  p({ kind: 'step', method: 'rwp', epoch: 0, stepInEpoch: 5, stepsPerEpoch: 10, loss: 0.5, samplesPerSecond: 1234 });
  p({ kind: 'epoch', method: 'rwp', epochs: 2, stepsPerEpoch: 10, record: record(1, 0.9) });
  p({ kind: 'step', method: 'rwp', epoch: 1, stepInEpoch: 5, stepsPerEpoch: 10, loss: 0.5, samplesPerSecond: 1234 });
  p({ kind: 'epoch', method: 'rwp', epochs: 2, stepsPerEpoch: 10, record: record(2, 0.95) });
  p({ kind: 'end', method: 'rwp' });
  assert.match(s.text, /\r\x1b\[KRWP +epoch 1\/2 █{8}░{8}  5\/10 loss 0\.5000 acc +— +1,234 samples\/s/);
  // What the terminal shows: apply each \r\x1b[K (back to column 0, clear the line) to the current line.
  const screen = s.text.split('\n').map((l) => l.split('\r\x1b[K').at(-1));
  assert.deepEqual(screen.slice(0, -1).map((l) => l?.match(/^RWP +epoch (\d)\/2 .*test acc (\S+)/)?.slice(1)), [['1', '90.00%'], ['2', '95.00%']]);
  assert.equal(screen.at(-1), '', 'the output ends with a newline, no blank line added');
});

test('demo and reproduce: command-line flags', () => {
  assert.deepEqual(parseDemoArgs(['--epochs', '2', '--dataset=fashion', '--methods', 'sgd,m-rwp', '--train-size', '512']), {
    epochs: 2, dataset: 'fashion', methods: ['sgd', 'm-rwp'], seed: undefined, trainSize: 512, testSize: undefined, batchSize: undefined, lr: undefined, labelNoise: undefined, sigma: undefined, rho: undefined, out: undefined, sequential: false,
  });
  assert.equal((parseDemoArgs(['--label-noise', '0']) as { labelNoise: number }).labelNoise, 0);
  assert.throws(() => parseDemoArgs(['--label-noise', '1']), /--label-noise must be a number in \[0, 1\)/);
  assert.throws(() => parseDemoArgs(['--epochs', '0']), /--epochs must be an integer ≥ 1/);
  assert.throws(() => parseDemoArgs(['--methods', 'sgd,adamw']), /unknown method\(s\) adamw/);
  assert.throws(() => parseDemoArgs(['--bogus']), /unknown flag --bogus/);
  assert.deepEqual(parseMethods('SGD, rwp'), ['sgd', 'rwp']);
  const r = parseReproduceArgs(['--quick', '--seeds', '0,1', '--set', 'rwpSigma=0.02,lr=0.1']);
  assert.ok(r !== 'help');
  assert.deepEqual(r.seeds, [0, 1]);
  assert.deepEqual(r.hp, { rwpSigma: 0.02, lr: 0.1 });
  assert.throws(() => parseReproduceArgs(['--set', 'sigma=1']), /unknown hyperparameter 'sigma'/);
});

test('reproduce --quick: sweep on validation, every method in the report and the JSON, plots written, a rerun resumes from the cache', async () => {
  const docsDir = temp('docs');
  const cacheDir = temp('cache');
  const options = { quick: true, seeds: [0], settings: ['noise40'], models: ['mlp'], docsDir, cacheDir, command: 'npm run reproduce -- --quick', log: sink(), progress: sink() } as const;
  const r = await reproduce(options);
  // Sweep: RWP σ ∈ {0.01, 0.05}, SAM ρ ∈ {0.05, 0.1}, ASAM ρ ∈ {0.5}; the main seed-0 runs of the chosen values are the sweep's.
  assert.equal(r.ran + r.cached, 5 + METHODS.length);
  assert.equal(r.cached, 3);
  const md = readFileSync(r.reportPath, 'utf8');
  assert.match(md, /Command: `npm run reproduce -- --quick`/);
  assert.match(md, /Machine: \d+ × .*Noise generator: /);
  for (const m of METHODS) assert.match(md, new RegExp(`^\\| ${LABEL[m]} \\| \\d+\\.\\d\\d ± \\d+\\.\\d\\d \\| `, 'm'), `${m} in the main table`);
  assert.match(md, /^\| RWP \| σ \| .*\*\*σ = 0\.0[15]: \d+\.\d\d\*\*/m, 'the sweep table marks the chosen σ');
  assert.match(md, /51 of 128 labels flipped/, 'round(0.4 · 128) = 51 flipped labels reported');
  assert.doesNotMatch(md, /NaN|undefined/);
  for (const n of ['accuracy-vs-epoch', 'accuracy-vs-time', 'slice-1d']) assertSvg(join(docsDir, `results-noise40-mlp-${n}.svg`), ...METHODS.map((m) => LABEL[m]));
  for (const p of r.svgs) assert.match(md, new RegExp(`\\]\\(${p.slice(docsDir.length + 1).replace(/[.-]/g, '\\$&')}\\)`));
  const json = JSON.parse(readFileSync(r.jsonPath, 'utf8')) as { settings: Array<{ id: string; models: Record<string, { methods: Record<string, { testAccuracy: { mean: number; values: number[] }; seeds: number[]; wallSeconds: { mean: number }; stepCostVsSgd: number; stepCostVsSam: number; gradEvals: number; hyperparameters: Record<string, number>; flipped: number }> }> }> };
  const rwp = json.settings[0]?.models.mlp?.methods.rwp;
  assert.ok(rwp !== undefined);
  assert.deepEqual(rwp.seeds, [0]);
  assert.equal(rwp.flipped, 51);
  assert.ok([0.01, 0.05].includes(rwp.hyperparameters.rwpSigma as number));
  assert.ok(rwp.wallSeconds.mean > 0 && rwp.stepCostVsSgd > 0 && rwp.stepCostVsSam > 0 && rwp.gradEvals === 2 * 8);
  assert.deepEqual(Object.keys(json.settings[0]?.models.mlp?.methods ?? {}), [...METHODS]);

  // Text outside the generated section survives; a rerun trains nothing and writes the same tables.
  appendFileSync(r.reportPath, '\n## Discussion\n\nhand-written\n');
  const again = await reproduce(options);
  assert.equal(again.ran, 0);
  const md2 = readFileSync(again.reportPath, 'utf8');
  assert.match(md2, /## Discussion\n\nhand-written/);
  assert.equal(md2.match(/<!-- generated by scripts\/reproduce\.ts/g)?.length, 1);
  const tables = (t: string) => t.split('\n').filter((l) => /^\| (SGD|RWP) \|/.test(l));
  assert.deepEqual(tables(md2), tables(md));
});

test('textChart: marks by first free letter, shared y range, overlaps as *', () => {
  const chart = textChart([{ name: 'SGD', ys: [90, 92] }, { name: 'SAM', ys: [90, 94] }], { height: 3, yLabel: 'acc' });
  assert.deepEqual(chart.split('\n'), [
    'acc  (S = SGD, A = SAM; * = overlap)',
    ' 94 |         A',
    '    |         S',
    ' 90 |   *',
    '    +------------',
    '        1     2',
  ]);
  assert.equal(textChart([]), '(no data)');
});
