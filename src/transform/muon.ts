import type { Hyper } from '../schedule.js';
import { all, hyper, knownKeys, num, rules } from '../validate.js';
import { addDecayedWeights } from './addDecayedWeights.js';
import { chain } from './chain.js';
import { defineRule } from './defineRule.js';
import { masked } from './masked.js';
import { scaleByLearningRate } from './scale.js';
import { scaleByAdam } from './scaleByAdam.js';
import { checkMuonOptions, scaleByMuon, scaleByShape, type MuonOptions } from './scaleByMuon.js';

/** Options of `muon` (optax's names and defaults). */
export interface MuonRuleOptions extends MuonOptions {
  /** Decoupled weight decay of the 2-D leaves; default 0. */
  readonly weightDecay?: Hyper;
  /** Adam's b1 for the other leaves; default 0.9. */
  readonly adamB1?: number;
  /** Adam's b2 for the other leaves; default 0.999. */
  readonly adamB2?: number;
  /** Adam's epsRoot for the other leaves; default 0. */
  readonly adamEpsRoot?: number;
  /** Decoupled weight decay of the other leaves; default 0. */
  readonly adamWeightDecay?: Hyper;
  /** Learning rate of the other leaves; default the Muon learning rate. */
  readonly adamLearningRate?: Hyper;
}

const is2d = (_n: string, x: { readonly rank: number }): boolean => x.rank === 2;

const muonRule = defineRule<MuonRuleOptions>(
  'muon',
  (lr, o) =>
    all({
      options: knownKeys(o, ['weightDecay', 'adamB1', 'adamB2', 'adamEpsRoot', 'adamWeightDecay', 'adamLearningRate', 'nsCoeffs', 'nsSteps', 'beta', 'eps', 'nesterov', 'adaptive']),
      learningRate: hyper('learningRate', lr, rules.nonNegative),
      muon: checkMuonOptions(o),
      weightDecay: hyper('weightDecay', o.weightDecay ?? 0, rules.nonNegative),
      adamB1: num('adamB1', o.adamB1 ?? 0.9, rules.unitOpen),
      adamB2: num('adamB2', o.adamB2 ?? 0.999, rules.unitOpen),
      adamEpsRoot: num('adamEpsRoot', o.adamEpsRoot ?? 0, rules.nonNegative),
      adamWeightDecay: hyper('adamWeightDecay', o.adamWeightDecay ?? 0, rules.nonNegative),
      adamLearningRate: hyper('adamLearningRate', o.adamLearningRate ?? 0, rules.nonNegative),
    }),
  (lr, o) => {
    const { weightDecay = 0, adamB1 = 0.9, adamB2 = 0.999, adamEpsRoot = 0, adamWeightDecay = 0, adamLearningRate = lr, ...m } = o;
    const muonPart = chain(scaleByMuon(m), scaleByShape(), addDecayedWeights(weightDecay), scaleByLearningRate(lr));
    const adamPart = chain(
      scaleByAdam({ b1: adamB1, b2: adamB2, eps: m.eps ?? 1e-8, epsRoot: adamEpsRoot, nesterov: m.nesterov ?? true }),
      addDecayedWeights(adamWeightDecay),
      scaleByLearningRate(adamLearningRate),
    );
    return chain(masked(is2d, muonPart), masked((n, x) => !is2d(n, x), adamPart));
  },
);

/**
 * muon(lr, { nsCoeffs, nsSteps = 5, beta = 0.95, eps = 1e-8, nesterov = true, weightDecay = 0, adam* }): Muon on the 2-D
 * leaves, chain(scaleByMuon, scaleByShape, addDecayedWeights, scaleByLearningRate), and AdamW (Nesterov when `nesterov`)
 * on every other leaf (Jordan et al. 2024; optax.contrib.muon).
 */
export const muon = muonRule.make;

/** `muon`, returning Left(every problem) instead of throwing. */
export const safeMuon = muonRule.safe;
