import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Hyper } from '../schedule.js';
import { orThrow, type Validation } from '../validate.js';
import type { AnyTransformation } from './types.js';
import { defineTransform } from './define.js';

/** A named rule in both forms: `make` throws a HyperparameterError listing every problem, `safe` returns them as Left. */
export interface RuleForms<O> {
  /** The rule; throws a HyperparameterError naming every bad hyperparameter. */
  readonly make: (learningRate: Hyper, options?: O) => AnyTransformation;
  /** The rule as Right, or Left(every problem). */
  readonly safe: (learningRate: Hyper, options?: O) => Validation<AnyTransformation>;
}

/** defineRule(name, check, build): a rule's throwing and Either-returning constructors from its validation and its chain; `make` is registered as the transform kind `name` (defineTransform), so the rule is data. */
export function defineRule<O>(name: string, check: (lr: Hyper, o: O) => Validation<unknown>, build: (lr: Hyper, o: O) => AnyTransformation): RuleForms<O> {
  const make = defineTransform(
    name,
    (lr: Hyper, o: O = {} as O): AnyTransformation => {
      orThrow(check(lr, o), name);
      return build(lr, o);
    },
    { params: ['learningRate', 'options'] },
  );
  return {
    make,
    safe: (lr, o = {} as O) => pipe(check(lr, o), E.map(() => make(lr, o))),
  };
}
