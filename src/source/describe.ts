import { labelOf, type Hyper } from '../schedule.js';
import type { GradientSource, Perturbation } from './types.js';

const num = (x: number): string => String(Number(x.toPrecision(12)));
const hyperText = (h: Hyper, symbol: string, defs: string[]): string => {
  if (typeof h === 'number') return num(h);
  defs.push(`${symbol}_t = ${labelOf(h)}`);
  return `${symbol}_t`;
};

function countPerturbations(s: GradientSource): number {
  return s.kind === 'clean' ? 0 : s.kind === 'perturbed' ? 1 : countPerturbations(s.a) + countPerturbations(s.b);
}

function perturbationText(p: Perturbation, eps: string, point: string, defs: string[]): string {
  switch (p.kind) {
    case 'filterNoise':
      return `${eps}_i ~ N(0,(${hyperText(p.sigma, 'σ', defs)}·‖w_i‖)²)`;
    case 'adaptiveFilterNoise': {
      const s = hyperText(p.sigma, 'σ', defs);
      const e = hyperText(p.eta, 'η', defs);
      const b = hyperText(p.beta, 'β', defs);
      return `${eps}_i ~ N(0,(${s}·‖w_i‖)²/(1 + ${e}·Σ_j F_ij)), F ← ${b}·F + ∇L(${point})²`;
    }
    case 'adversarial': {
      const r = hyperText(p.rho, 'ρ', defs);
      return p.adaptive ? `${eps} = ${r}·T²∇L(w)/‖T∇L(w)‖, T = |w| + ${num(p.eta)}` : `${eps} = ${r}·∇L(w)/‖∇L(w)‖`;
    }
  }
}

/**
 * describe(source): the formula a gradient source computes, in plain text, e.g.
 * `0.5·∇L(w) + 0.5·∇L(w+ε), ε_i ~ N(0,(0.01·‖w_i‖)²)`.
 */
export function describe(source: GradientSource): string {
  const defs: string[] = [];
  const many = countPerturbations(source) > 1;
  let eps = 0;
  let batches = 0;
  const walk = (s: GradientSource, batch: string): string => {
    switch (s.kind) {
      case 'clean':
        return `∇L(w${batch})`;
      case 'perturbed': {
        const name = many ? `ε${String.fromCharCode(0x2081 + eps++)}` : 'ε';
        const point = `w+${name}${batch}`;
        defs.push(perturbationText(s.perturbation, name, point, defs));
        return `∇L(${point})`;
      }
      case 'mix': {
        const [ba, bb] = s.batch === 'split' ? [`; B${String.fromCharCode(0x2081 + batches++)}`, `; B${String.fromCharCode(0x2081 + batches++)}`] : [batch, batch];
        const a = walk(s.a, ba);
        const b = walk(s.b, bb);
        const lam = typeof s.lambda === 'number' ? null : hyperText(s.lambda, 'λ', defs);
        const wrap = (t: string, src: GradientSource): string => (src.kind === 'mix' ? `(${t})` : t);
        return lam === null
          ? `${num(1 - (s.lambda as number))}·${wrap(a, s.a)} + ${num(s.lambda as number)}·${wrap(b, s.b)}`
          : `(1−${lam})·${wrap(a, s.a)} + ${lam}·${wrap(b, s.b)}`;
      }
    }
  };
  const body = walk(source, '');
  return defs.length === 0 ? body : `${body}, ${defs.join(', ')}`;
}
