// Building the four optimizers for a run, keeping going when the user's composition is refused: each one that cannot
// be built is left out of the run, and its card shows optimix's error message instead of a formula.
import { cleanGrad, optimizer, sam, sgd, mix, perturbedGrad, type Optimizer } from 'optimix';
import { isotropicNoise } from './isotropic.ts';
import { ownSource, rule, type BaseSettings, type Method, type OwnSettings } from './methods.ts';

/** optimizersOrErrors(base, own): the optimizers that could be built, and the error message of each that could not. */
export function optimizersOrErrors(b: BaseSettings, o: OwnSettings): { opts: Partial<Record<Method, Optimizer>>; errors: Partial<Record<Method, string>> } {
  const r = () => sgd(b.lr, b.momentum > 0 ? { momentum: b.momentum } : {});
  const makers: Record<Method, () => Optimizer> = {
    sgd: () => optimizer(cleanGrad, r()),
    sam: () => optimizer(sam({ rho: b.rho }), r()),
    rwp: () => optimizer(mix(cleanGrad, perturbedGrad(isotropicNoise({ sigma: b.sigma })), b.lambda), r()),
    own: () => optimizer(ownSource(o, b.steps), rule(o.rule, o.lr, o.momentum)),
  };
  const opts: Partial<Record<Method, Optimizer>> = {};
  const errors: Partial<Record<Method, string>> = {};
  for (const [m, make] of Object.entries(makers) as [Method, () => Optimizer][]) {
    try {
      opts[m] = make();
    } catch (e) {
      errors[m] = e instanceof Error ? e.message : String(e);
    }
  }
  return { opts, errors };
}
