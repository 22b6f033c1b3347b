// The composer: controls for the three reference optimizers' shared settings and for the user's own optimizer
// (a gradient source — clean, noise σ, adversarial ρ, mix λ, nested, or a preset — and an update rule).
import { numberInput, select, slider, type Control } from './controls.ts';
import { PRESET_IDS, presetLabel } from './presets.ts';
import { knobs, type BaseSettings, type OwnSettings } from './methods.ts';
import type { SurfaceDefaults } from './surfaces.ts';

/** The composer's form, and its settings. */
export interface Composer {
  readonly el: HTMLElement;
  base(): BaseSettings;
  own(): OwnSettings;
  /** reset(d): every control to a surface's defaults (the own source kept). */
  reset(d: SurfaceDefaults): void;
  /** setOwnSource(v): choose the own source (a kind, or `preset:<id>`). */
  setOwnSource(v: string): void;
}

const SOURCES: readonly (readonly [string, string])[] = [
  ['clean', 'clean ∇L(w)'],
  ['noise', 'noise: ∇L(w+ε), ε random'],
  ['adversarial', 'adversarial: ε = ρ·g/‖g‖'],
  ['mix', 'mix λ of clean and noise'],
  ['nested', 'nested: noise, then ascent'],
  ['nested-ascent-first', 'nested: ascent, then noise'],
  ['mix-nested', 'mix λ of clean and nested'],
];

function fieldset(title: string, ...children: HTMLElement[]): HTMLFieldSetElement {
  const f = document.createElement('fieldset');
  const l = document.createElement('legend');
  l.textContent = title;
  f.append(l, ...children);
  return f;
}

/** composer(d, onChange): the form, initialised to a surface's defaults; onChange after any control changes. */
export function composer(d: SurfaceDefaults, onChange: () => void): Composer {
  const c = {
    lr: numberInput('lr', 'learning rate', 0.001, d.lr, onChange),
    momentum: slider('momentum', 'momentum', { min: 0, max: 0.99, step: 0.01 }, d.momentum, onChange),
    rho: slider('rho', 'SAM’s ρ', { min: 0, max: 1.5, step: 0.01 }, d.rho, onChange),
    sigma: slider('sigma', 'RWP’s σ', { min: 0, max: 1.5, step: 0.01 }, d.sigma, onChange),
    lambda: slider('lambda', 'RWP’s λ', { min: 0, max: 1, step: 0.05 }, d.lambda, onChange),
    steps: numberInput('steps', 'steps', 10, d.steps, onChange),
  };
  const o = {
    source: select('own-source', 'gradient source', [...SOURCES, ['presets (How SAM and RWP work)', PRESET_IDS.map((id) => [`preset:${id}`, presetLabel(id)] as const)]], 'nested', onChange),
    noise: select('own-noise', 'noise', [['isotropic', 'isotropic N(0, σ²I)'], ['filter', 'filter noise (RWP’s: std σ·‖w‖)']], 'isotropic', onChange),
    sigma: slider('own-sigma', 'σ', { min: 0, max: 1.5, step: 0.01 }, d.sigma, onChange),
    rho: slider('own-rho', 'ρ', { min: 0, max: 1.5, step: 0.01 }, d.rho, onChange),
    lambda: slider('own-lambda', 'λ', { min: 0, max: 1, step: 0.05 }, d.lambda, onChange),
    rule: select('own-rule', 'update rule', [['sgd', 'sgd (lr, momentum)'], ['adam', 'adam (lr)'], ['lion', 'lion (lr)']], 'sgd', onChange),
    lr: numberInput('own-lr', 'learning rate', 0.001, d.lr, onChange),
    momentum: slider('own-momentum', 'momentum (sgd)', { min: 0, max: 0.99, step: 0.01 }, d.momentum, onChange),
  };
  /** grey out the source settings the chosen source does not read. */
  const relevant = () => {
    const used = knobs(o.source.get() as OwnSettings['source']);
    for (const k of ['noise', 'sigma', 'rho', 'lambda'] as const) {
      const on = used.includes(k);
      o[k].el.classList.toggle('ls-unused', !on);
      for (const input of o[k].el.querySelectorAll('input, select')) (input as HTMLInputElement).disabled = !on;
    }
    const sgdRule = o.rule.get() === 'sgd';
    o.momentum.el.classList.toggle('ls-unused', !sgdRule);
    (o.momentum.el.querySelector('input') as HTMLInputElement).disabled = !sgdRule;
  };
  o.source.el.addEventListener('change', relevant);
  o.rule.el.addEventListener('change', relevant);
  relevant();
  const tips: [Control<number> | Control<string>, string][] = [
    [c.rho, 'SAM’s ascent radius: the gradient is taken at w + ρ·g/‖g‖'],
    [c.sigma, 'RWP’s noise: ε ~ N(0, σ²·I)'],
    [c.lambda, 'RWP’s mix weight: g = (1 − λ)·∇L(w) + λ·∇L(w+ε)'],
    [c.steps, 'how many steps a run takes (Play after the end runs as many more)'],
    [o.sigma, 'the noise scale: std σ (isotropic) or σ·‖w‖ (filter noise)'],
    [o.rho, 'the ascent radius of an adversarial ε'],
    [o.lambda, 'the weight of the perturbed gradient in a mix'],
  ];
  for (const [control, tip] of tips) control.el.title = tip;
  const el = document.createElement('div');
  el.className = 'ls-composer';
  el.append(
    fieldset('SGD, SAM and RWP', c.lr.el, c.momentum.el, c.rho.el, c.sigma.el, c.lambda.el, c.steps.el),
    fieldset('Your own: gradient source', o.source.el, o.noise.el, o.sigma.el, o.rho.el, o.lambda.el),
    fieldset('Your own: update rule', o.rule.el, o.lr.el, o.momentum.el),
  );
  const setAll = (controls: Record<string, Control<number> | Control<string>>, values: Record<string, number>) => {
    for (const [k, v] of Object.entries(values)) (controls[k] as Control<number> | undefined)?.set(v);
  };
  return {
    el,
    base: () => ({ lr: c.lr.get(), momentum: c.momentum.get(), rho: c.rho.get(), sigma: c.sigma.get(), lambda: c.lambda.get(), steps: Math.max(1, Math.round(c.steps.get())) }),
    own: () => ({ source: o.source.get() as OwnSettings['source'], noise: o.noise.get() as OwnSettings['noise'], sigma: o.sigma.get(), rho: o.rho.get(), lambda: o.lambda.get(), rule: o.rule.get() as OwnSettings['rule'], lr: o.lr.get(), momentum: o.momentum.get() }),
    reset: (v) => {
      setAll(c, { lr: v.lr, momentum: v.momentum, rho: v.rho, sigma: v.sigma, lambda: v.lambda, steps: v.steps });
      setAll(o, { sigma: v.sigma, rho: v.rho, lambda: v.lambda, lr: v.lr, momentum: v.momentum });
    },
    setOwnSource: (v) => {
      o.source.set(v);
      relevant();
    },
  };
}
