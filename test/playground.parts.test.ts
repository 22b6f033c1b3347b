// The playground's landscape and learn parts that need no browser, in Node: a run of the four optimizers is
// deterministic in its key and frees every tensor; the isotropic noise is N(0, σ²I) keyed like the built-ins; the
// Markdown renderer escapes everything and renders the subset the docs/methods pages use.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { cleanGrad, describe, disposeTree, key, optimizer, perturbedGrad, ready, sgd, step } from '../src/index.js';
import { optimizersOrErrors } from '../playground/src/landscape/build.ts';
import { isotropicNoise } from '../playground/src/landscape/isotropic.ts';
import { METHODS, type OwnSettings } from '../playground/src/landscape/methods.ts';
import { PRESET_IDS, presetSource } from '../playground/src/landscape/presets.ts';
import { Run } from '../playground/src/landscape/run.ts';
import { lossOf, regionOf, SURFACES } from '../playground/src/landscape/surfaces.ts';
import { inline, renderMarkdown } from '../playground/src/learn/markdown.ts';

before(async () => {
  await ready();
});

const own = (d: (typeof SURFACES)[number]['defaults'], source: OwnSettings['source'] = 'nested'): OwnSettings => ({ source, noise: 'isotropic', sigma: d.sigma, rho: d.rho, lambda: d.lambda, rule: 'sgd', lr: d.lr, momentum: d.momentum });

test('landscape run: the same key gives the same four trajectories, bit for bit; another key moves the noisy ones only; every tensor is freed', () => {
  const s = SURFACES[0]!;
  const { opts, errors } = optimizersOrErrors(s.defaults, own(s.defaults));
  assert.deepEqual(errors, {});
  const before = tf.memory().numTensors;
  const tracks = (seed: number) => {
    const r = new Run(s, opts, s.start, seed);
    r.step(30);
    const t = METHODS.map((m) => r.tracks[m].points.flat());
    r.dispose();
    return t;
  };
  const [a, b, c] = [tracks(0), tracks(0), tracks(1)];
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  assert.deepEqual(a, b);
  assert.equal(a[0]!.length, 62, '31 points of SGD');
  assert.deepEqual(c[0], a[0], 'SGD draws no noise');
  assert.deepEqual(c[1], a[1], 'SAM draws no noise');
  assert.notDeepEqual(c[2], a[2], "RWP's noise comes from the key");
});

test("landscape run: the noisy quadratic's batches come from the key; its loss is the minibatch form", () => {
  const s = SURFACES.find((x) => x.id === 'noisy-quadratic')!;
  const loss = lossOf(s);
  const v = tf.tidy(() => loss({ w: tf.tensor1d([1, 2]) }, { z: tf.tensor2d([[0, 0], [2, 2], [1, 2], [1, 1]]) }).arraySync());
  // rows: ½(1 + 16) = 8.5, ½(1 + 0) = 0.5, 0, ½(0 + 4) = 2 → mean 2.75
  assert.ok(Math.abs((v as number) - 2.75) < 1e-6, String(v));
  const sgdOnly = { sgd: optimizer(cleanGrad, sgd(0.1)) };
  const run = (seed: number) => {
    const r = new Run(s, sgdOnly, s.start, seed);
    r.step(5);
    const p = r.tracks.sgd.points.flat();
    r.dispose();
    return p;
  };
  assert.deepEqual(run(3), run(3));
  assert.notDeepEqual(run(3), run(4));
});

test('landscape regions and surfaces: every surface has a finite loss and gradient at its start; regions name where a point lies', () => {
  for (const s of SURFACES) {
    const w = { w: tf.tensor1d([...s.start]) };
    const batch = { z: tf.zeros([4, 2]) };
    const r = step(optimizer(cleanGrad, sgd(0)), lossOf(s), w, batch, optimizer(cleanGrad, sgd(0)).init(w));
    assert.ok(Number.isFinite(r.value), `${s.id}: f at the start`);
    tf.dispose([w.w, batch.z, r.params['w'] as tf.Tensor]);
  }
  const sf = SURFACES[0]!;
  assert.equal(regionOf(sf, [-1.1, 0.3]), 'in the sharp basin');
  assert.equal(regionOf(sf, [1.2, -0.3]), 'in the flat basin');
  assert.equal(regionOf(sf, [-2.8, 1.9]), undefined);
  const f = (x: number, y: number) => tf.tidy(() => sf.field(tf.scalar(x), tf.scalar(y)).arraySync() as number);
  assert.ok(f(-1.1, 0.3) < f(1.2, -0.3), 'the sharp basin is the deeper one');
});

test('isotropicNoise: ε ~ N(0, σ²I), the same std everywhere; describe() says so; σ < 0 is refused', () => {
  assert.equal(describe(perturbedGrad(isotropicNoise({ sigma: 0.5 }))), '∇L(w+ε), ε ~ N(0,0.5²·I)');
  assert.throws(() => isotropicNoise({ sigma: -1 }), /playground\.isotropicNoise.*σ \(sigma\) must be a finite number ≥ 0, got -1/s);
  // The perturbed gradient of L = ½‖w‖² is w + ε: its spread over steps is σ, at the origin as far from it.
  const loss = (p: Record<string, tf.Tensor>) => tf.tidy(() => tf.mul(0.5, tf.sum(tf.square(p['w'] as tf.Tensor))) as tf.Scalar);
  const before = tf.memory().numTensors;
  for (const at of [[0, 0], [30, -40]]) {
    const opt = optimizer(perturbedGrad(isotropicNoise({ sigma: 0.5 })), sgd(1));
    const w = { w: tf.tensor1d(at) };
    let state = opt.init(w, key(1));
    const eps: number[] = [];
    for (let i = 0; i < 400; i++) {
      const r = step(opt, loss, w, {}, state);
      const moved = Array.from((r.params['w'] as tf.Tensor).dataSync());
      eps.push(...moved.map((v, j) => -(v - (at[j] as number)) - (at[j] as number))); // update = −(w + ε)
      disposeTree([r.params, state]);
      state = r.state;
    }
    disposeTree([w, state]);
    const mean = eps.reduce((a, b) => a + b, 0) / eps.length;
    const std = Math.sqrt(eps.reduce((a, b) => a + (b - mean) ** 2, 0) / eps.length);
    assert.ok(Math.abs(mean) < 0.06 && Math.abs(std - 0.5) < 0.04, `at (${at}): mean ${mean.toFixed(3)}, std ${std.toFixed(3)}`);
  }
  assert.equal(tf.memory().numTensors, before);
});

test('composer sources: every kind and every preset builds at the landscape scale and runs steps with finite values', () => {
  const s = SURFACES[0]!;
  const kinds: OwnSettings['source'][] = ['clean', 'noise', 'adversarial', 'mix', 'nested', 'nested-ascent-first', 'mix-nested', ...PRESET_IDS.map((id) => `preset:${id}` as const)];
  for (const id of kinds) {
    const { opts, errors } = optimizersOrErrors(s.defaults, own(s.defaults, id));
    assert.deepEqual(errors, {}, id);
    const r = new Run(s, { own: opts.own! }, s.start, 0);
    r.step(3);
    assert.equal(r.tracks.own.stopped, undefined, `${id}: ${r.tracks.own.stopped}`);
    assert.ok(r.tracks.own.losses.every(Number.isFinite), id);
    r.dispose();
  }
  for (const id of PRESET_IDS) assert.ok(describe(presetSource(id, { rho: 0.1, sigma: 0.1, lambda: 0.5, lr: 0.1, steps: 10 })).length > 0);
  const ascentFirst = optimizersOrErrors(s.defaults, own(s.defaults, 'nested-ascent-first')).opts.own!;
  assert.equal(describe(ascentFirst.source), '∇L(w+ε), ε = ε⁽¹⁾ + ε⁽²⁾, ε⁽¹⁾ = 0.5·∇L(w)/‖∇L(w)‖, ε⁽²⁾ ~ N(0,0.5²·I)');
});

test('markdown: headings, paragraphs, lists, code, tables, links and emphasis; everything escaped', () => {
  const link = (href: string, html: string) => `<a href="${href}">${html}</a>`;
  const md = [
    '# A & B <i>',
    '',
    'Some *em* and **bold**, `a<b>` and [`x<y>`](rwp.md#z).',
    'Joined line.',
    '',
    '- one `1`',
    '  continued',
    '- two',
    '',
    '1. first',
    '2. second',
    '',
    '    w ← w − lr·g <tag>',
    '',
    '```ts',
    'const a = b < c && "d";',
    '```',
    '',
    '<!-- check: x -->',
    '| h | <k> |',
    '| --- | --- |',
    '| `c` | 1 |',
    '',
    '> quoted',
  ].join('\n');
  assert.equal(
    renderMarkdown(md, link),
    [
      '<h1 id="a-b-i">A &amp; B &lt;i&gt;</h1>',
      '<p>Some <em>em</em> and <strong>bold</strong>, <code>a&lt;b&gt;</code> and <a href="rwp.md#z"><code>x&lt;y&gt;</code></a>. Joined line.</p>',
      '<ul><li>one <code>1</code> continued</li><li>two</li></ul>',
      '<ol><li>first</li><li>second</li></ol>',
      '<pre><code>w ← w − lr·g &lt;tag&gt;</code></pre>',
      '<pre><code class="language-ts">const a = b &lt; c &amp;&amp; &quot;d&quot;;</code></pre>',
      '<table><thead><tr><th>h</th><th>&lt;k&gt;</th></tr></thead><tbody><tr><td><code>c</code></td><td>1</td></tr></tbody></table>',
      '<blockquote><p>quoted</p></blockquote>',
    ].join('\n'),
  );
  assert.equal(inline('<script>alert(1)</script>', link), '&lt;script&gt;alert(1)&lt;/script&gt;');
  assert.equal(inline('2*3 and a*b*c', link), '2*3 and a*b*c', 'a lone * between digits or letters is not emphasis');
});
