"""Reference trajectories of optax's rules, for test/parity.optax.rules.test.ts (which compares without Python).

Run in a dev-only venv outside the repository:
  python3 -m venv /work/venv-optax && /work/venv-optax/bin/pip install jax optax
  /work/venv-optax/bin/python scripts/optax-fixtures/rules.py
It writes test/fixtures/optax/rules.json: for each case (an optax rule with camelCase options, as optimix names
them) and each problem, the float32 parameters after 10 and 50 steps of params <- params + tx.update(grad)
(and for the schedule-free rules the evaluation parameters too, under 'eval10' and 'eval50').
"""
import json
import os
import re
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import optax

STEPS = (10, 50)
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'optax', 'rules.json')

# optimix's option name -> optax's keyword, where camelCase -> snake_case does not give it.
RENAME = {'epsilonInSqrt': 'eps_in_sqrt'}


def snake(name):
    return RENAME.get(name, re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower())


# Cases whose float32 optax run departs from the rule's formula by more than float32 op order explains: radam
# computes rho_t = rho_inf - 2t*b2^t/(1 - b2^t) in float32, where 1 - b2^t cancels (b2 = 0.999: rho_10 is 9.945 in
# float32 against 9.983 exactly, so r_t is off by ~0.4%). For these the script also records optax run in float64.
FLOAT64 = {'radam', 'radam threshold', 'radam b2 0.9'}

# A learning rate may be a schedule, {'schedule': 'linear', 'args': [init, end, steps]} (optax.linear_schedule) or
# {'schedule': 'cosineDecay', 'args': [init, steps, alpha]} (optax.cosine_decay_schedule; optimix's floor = alpha*init).
LINEAR = {'schedule': 'linear', 'args': [0.02, 0.001, 30]}
COSINE = {'schedule': 'cosineDecay', 'args': [0.05, 40, 0.1]}

# (case name, optax function name, learning rate, options in optimix's camelCase)
CASES = [
    ('sgd', 'sgd', 0.05, {}),
    ('sgd nesterov', 'sgd', 0.02, {'momentum': 0.9, 'nesterov': True}),
    ('adam', 'adam', 0.01, {}),
    ('adam epsRoot', 'adam', 0.01, {'b1': 0.8, 'b2': 0.99, 'eps': 1e-6, 'epsRoot': 1e-8}),
    ('adam nesterov', 'adam', 0.01, {'nesterov': True}),
    ('adamw', 'adamw', 0.01, {'weightDecay': 0.01}),
    ('rmsprop eps in sqrt', 'rmsprop', 0.01, {'epsilonInSqrt': True}),
    ('rmsprop centered momentum', 'rmsprop', 0.005, {'epsilonInSqrt': True, 'centered': True, 'momentum': 0.5}),
    ('rmsprop initial scale, bias correction', 'rmsprop', 0.01, {'epsilonInSqrt': True, 'initialScale': 0.1, 'biasCorrection': True, 'momentum': 0.5, 'nesterov': True}),
    # Bias-corrected and centred, step 1 divides by sqrt(g^2 - g^2 + eps): eps must be large enough that float32
    # rounding of the difference (either sign; optimix clamps a negative one at 0) does not decide the step.
    ('rmsprop centered, bias correction', 'rmsprop', 0.005, {'epsilonInSqrt': True, 'centered': True, 'biasCorrection': True, 'eps': 1.0}),
    ("rmsprop eps outside the root (optimix's default)", 'rmsprop', 0.01, {'epsilonInSqrt': False, 'eps': 1e-3}),
    ('adagrad', 'adagrad', 0.1, {}),
    ('adagrad options', 'adagrad', 0.2, {'initialAccumulatorValue': 0.5, 'eps': 1e-6}),
    ('adadelta', 'adadelta', 1.0, {}),
    ('adadelta options', 'adadelta', 2.0, {'rho': 0.95, 'eps': 1e-5, 'weightDecay': 0.01}),
    ('adamax', 'adamax', 0.01, {}),
    ('adamax options', 'adamax', 0.02, {'b1': 0.8, 'b2': 0.99, 'eps': 1e-6}),
    ('nadam', 'nadam', 0.01, {}),
    ('amsgrad', 'amsgrad', 0.01, {}),
    ('amsgrad options', 'amsgrad', 0.02, {'b1': 0.5, 'b2': 0.9, 'eps': 1e-6, 'epsRoot': 1e-8}),
    ('amsgrad without bias correction', 'amsgrad', 0.005, {'biasCorrectionMu': False, 'biasCorrectionNu': False}),
    ('amsgrad, nu bias correction only', 'amsgrad', 0.01, {'biasCorrectionMu': False}),
    ('adabelief', 'adabelief', 0.01, {}),
    ('adabelief options', 'adabelief', 0.01, {'b1': 0.8, 'eps': 1e-8, 'epsRoot': 1e-10}),
    ('radam', 'radam', 0.01, {}),
    ('radam threshold', 'radam', 0.02, {'b2': 0.99, 'threshold': 8.0}),
    ('radam b2 0.9', 'radam', 0.01, {'b2': 0.9}),
    ('yogi', 'yogi', 0.01, {}),
    ('yogi options', 'yogi', 0.02, {'b1': 0.8, 'b2': 0.99, 'eps': 1e-4}),
    ('lion', 'lion', 0.003, {}),
    ('lion options', 'lion', 0.002, {'b1': 0.95, 'b2': 0.98, 'weightDecay': 0.1}),
    ('signSgd', 'sign_sgd', 0.01, {}),
    ('signum', 'signum', 0.01, {'beta': 0.8}),
    ('lamb', 'lamb', 0.01, {}),
    ('lamb weight decay', 'lamb', 0.01, {'b1': 0.8, 'eps': 1e-8, 'weightDecay': 0.01}),
    ('lars', 'lars', 5.0, {}),
    ('adafactor', 'adafactor', 0.05, {}),
    ('adafactor factored, momentum, decay', 'adafactor', 0.05, {'minDimSizeToFactor': 2, 'momentum': 0.9, 'weightDecayRate': 0.01, 'decayRate': 0.7}),
    ('adafactor unclipped, unscaled', 'adafactor', 0.01, {'minDimSizeToFactor': 2, 'clippingThreshold': None, 'multiplyByParameterScale': False, 'eps': 1e-20}),
    ('scheduleFreeSgd', 'contrib.schedule_free_sgd', 0.1, {}),
    ('scheduleFreeSgd warmup, decay', 'contrib.schedule_free_sgd', 0.2, {'warmupSteps': 5, 'b1': 0.8, 'weightDecay': 0.01, 'weightLrPower': 1.0}),
    ('scheduleFreeAdamw', 'contrib.schedule_free_adamw', 0.01, {}),
    ('scheduleFreeAdamw options', 'contrib.schedule_free_adamw', 0.02, {'warmupSteps': 8, 'b1': 0.95, 'b2': 0.99, 'eps': 1e-6, 'weightDecay': 0.01}),
    ('muon', 'contrib.muon', 0.02, {}),
    ('muon options', 'contrib.muon', 0.05, {'beta': 0.9, 'nesterov': False, 'nsSteps': 3, 'weightDecay': 0.01, 'adamB1': 0.8, 'adamLearningRate': 0.005, 'adamWeightDecay': 0.01}),
    ('muon adaptive, own coefficients', 'contrib.muon', 0.02, {'adaptive': True, 'nsCoeffs': [[3.0, -3.2, 1.2], [2.0, -1.5, 0.5]], 'nsSteps': 2}),
    ('prodigy', 'contrib.prodigy', 1.0, {}),
    ('prodigy options', 'contrib.prodigy', 0.5, {'betas': [0.8, 0.99], 'beta3': 0.9, 'eps': 1e-6, 'estimLr0': 1e-3, 'estimLrCoef': 0.5, 'weightDecay': 0.01}),
    ('prodigy safeguard warmup', 'contrib.prodigy', 1.0, {'safeguardWarmup': True, 'estimLr0': 1e-4}),
    ('adam, linear lr', 'adam', LINEAR, {}),
    # Sign rules: a learning rate small enough that no coordinate reaches its optimum in 50 steps, where the sign of a
    # near-zero argument would be decided by float32 rounding (of the schedule's value, say) and flip a whole lr step.
    ('lion, cosine lr', 'lion', {'schedule': 'cosineDecay', 'args': [0.002, 40, 0.1]}, {}),
    ('lamb, cosine lr', 'lamb', COSINE, {'weightDecay': 0.01}),
    ('adafactor, linear lr', 'adafactor', LINEAR, {'minDimSizeToFactor': 2}),
    ('scheduleFreeAdamw, linear lr', 'contrib.schedule_free_adamw', LINEAR, {}),
    ('prodigy, cosine lr', 'contrib.prodigy', {'schedule': 'cosineDecay', 'args': [1.0, 40, 0.1]}, {}),
    # optax's rmsprop applies momentum after the learning rate; under a schedule optimix's rmsprop differs (the
    # test checks that, and that the chain in optax's order matches).
    ('rmsprop momentum, linear lr', 'rmsprop', LINEAR, {'epsilonInSqrt': True, 'momentum': 0.9}),
    ('lars options', 'lars', 2.0, {'weightDecay': 1e-3, 'trustCoefficient': 0.01, 'eps': 1e-6, 'momentum': 0.5, 'nesterov': True}),
]


def problems():
    rng = np.random.default_rng(14)
    x = np.round(rng.normal(size=(8, 3)), 2).astype(np.float32)
    y = np.round(rng.normal(size=(8, 2)), 2).astype(np.float32)
    quadratic = {
        'name': 'quadratic',
        'doc': 'L = 0.5 * sum(a * (w - c)^2)',
        'data': {'a': [1.0, 4.0, 0.25, 2.0], 'c': [0.3, 1.0, -0.5, 2.0]},
        'init': {'w': [1.5, -2.0, 0.7, 3.0]},
    }
    least_squares = {
        'name': 'leastSquares',
        'doc': 'L = mean((x @ kernel + bias - y)^2)',
        'data': {'x': x.tolist(), 'y': y.tolist()},
        'init': {'kernel': [[0.5, -0.3], [0.1, 0.8], [-0.6, 0.2]], 'bias': [0.25, -0.4]},
    }
    return [quadratic, least_squares]


def loss_fn(problem):
    d = {k: jnp.asarray(v, jnp.float32) for k, v in problem['data'].items()}
    if problem['name'] == 'quadratic':
        return lambda p: 0.5 * jnp.sum(d['a'] * jnp.square(p['w'] - d['c']))
    return lambda p: jnp.mean(jnp.square(d['x'] @ p['kernel'] + p['bias'] - d['y']))


def rule(path):
    obj = optax
    for part in path.split('.'):
        obj = getattr(obj, part)
    return obj


def schedule(lr):
    if not isinstance(lr, dict):
        return lr
    if lr['schedule'] == 'linear':
        return optax.linear_schedule(*lr['args'])
    init, steps, alpha = lr['args']
    return optax.cosine_decay_schedule(init, steps, alpha)


def run(case, problem, dtype=jnp.float32):
    _, fn, lr, options = case
    lr = schedule(lr)
    tx = rule(fn)(lr, **{snake(k): v for k, v in options.items()})
    schedule_free = 'schedule_free' in fn
    params = {k: jnp.asarray(v, dtype) for k, v in problem['init'].items()}
    state = tx.init(params)
    grad = jax.jit(jax.grad(loss_fn(problem)))
    out = {}
    for t in range(1, max(STEPS) + 1):
        updates, state = tx.update(grad(params), state, params)
        params = optax.apply_updates(params, updates)
        if t in STEPS:
            as_list = lambda tree: {k: np.asarray(v, np.float32 if dtype == jnp.float32 else np.float64).tolist() for k, v in tree.items()}
            out[str(t)] = as_list(params)
            if schedule_free:
                out[f'eval{t}'] = as_list(optax.contrib.schedule_free_eval_params(state, params))
    return out


def float64_trajectories():
    """In a jax with x64 on (this script run again with JAX_ENABLE_X64=1): the FLOAT64 cases, in float64."""
    assert jax.config.jax_enable_x64
    probs = problems()
    return {c[0]: {p['name']: run(c, p, jnp.float64) for p in probs} for c in CASES if c[0] in FLOAT64}


def main():
    if sys.argv[1:] == ['--float64']:
        json.dump(float64_trajectories(), sys.stdout)
        return
    assert not jax.config.jax_enable_x64, 'the fixtures are float32'
    x64 = subprocess.run([sys.executable, __file__, '--float64'], env={**os.environ, 'JAX_ENABLE_X64': '1'}, check=True, capture_output=True, text=True)
    f64 = json.loads(x64.stdout)
    probs = problems()
    doc = {
        'generator': 'scripts/optax-fixtures/rules.py',
        'versions': {'optax': optax.__version__, 'jax': jax.__version__, 'numpy': np.__version__, 'python': sys.version.split()[0]},
        'dtype': 'float32',
        'steps': list(STEPS),
        'problems': probs,
        'cases': [
            {
                'name': c[0], 'optax': c[1], 'learningRate': c[2], 'options': c[3],
                'trajectories': {p['name']: run(c, p) for p in probs},
                **({'trajectoriesFloat64': f64[c[0]]} if c[0] in FLOAT64 else {}),
            }
            for c in CASES
        ],
    }
    with open(OUT, 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')
    print(f'wrote {len(CASES)} cases x {len(probs)} problems to {os.path.normpath(OUT)}')


if __name__ == '__main__':
    main()
