"""Reference values for optimix's optax combinators and schedules, computed by optax itself.

Run in a dev-only venv outside the repo (never committed):
    python3 -m venv /work/venv-optax-comb && /work/venv-optax-comb/bin/pip install jax optax
    /work/venv-optax-comb/bin/python scripts/optax-fixtures/combinators.py
Writes test/fixtures/optax/combinators.json (float32 trajectories at steps 10 and 50) and
test/fixtures/optax/schedules.json (schedule values, float64). The tests read the JSON; CI needs no Python.
"""
import functools
import json
import os
import platform
import subprocess
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'fixtures', 'optax')


def versions():
    import jax
    import numpy as np
    import optax
    return {'optax': optax.__version__, 'jax': jax.__version__, 'numpy': np.__version__, 'python': platform.python_version()}


def write(name, data):
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(data, f, indent=1)
        f.write('\n')


# ----------------------------------------------------------------------------------------------
# schedules (float64: the JS schedules compute in doubles)

SCHEDULES = [
    ('polynomial', {'initValue': 1.0, 'endValue': 0.01, 'power': 2.0, 'transitionSteps': 80, 'transitionBegin': 10}),
    ('polynomial', {'initValue': 0.5, 'endValue': 0.0, 'power': 0.5, 'transitionSteps': 37}),
    ('joinSchedules', {'schedules': [['polynomial', {'initValue': 0.0, 'endValue': 1.0, 'power': 1.0, 'transitionSteps': 10}],
                                     ['polynomial', {'initValue': 1.0, 'endValue': 0.1, 'power': 3.0, 'transitionSteps': 50}],
                                     ['warmupConstant', {'initValue': 0.2, 'peakValue': 0.3, 'warmupSteps': 5}]],
                       'boundaries': [10, 60]}),
    ('warmupConstant', {'initValue': 0.0, 'peakValue': 0.1, 'warmupSteps': 25}),
    ('warmupConstant', {'initValue': 0.3, 'peakValue': 0.1, 'warmupSteps': 0}),
    ('warmupExponentialDecay', {'initValue': 0.0, 'peakValue': 1.0, 'warmupSteps': 10, 'transitionSteps': 7, 'decayRate': 0.8}),
    ('warmupExponentialDecay', {'initValue': 0.1, 'peakValue': 1.0, 'warmupSteps': 5, 'transitionSteps': 6, 'decayRate': 0.5,
                                'transitionBegin': 12, 'staircase': True, 'endValue': 0.05}),
    ('warmupExponentialDecay', {'initValue': 0.5, 'peakValue': 0.5, 'warmupSteps': 0, 'transitionSteps': 10, 'decayRate': 1.5,
                                'endValue': 2.0}),
    ('sgdr', {'cycles': [{'initValue': 0.0, 'peakValue': 1.0, 'warmupSteps': 5, 'decaySteps': 30},
                         {'initValue': 0.1, 'peakValue': 0.8, 'warmupSteps': 0, 'decaySteps': 20, 'endValue': 0.01},
                         {'initValue': 0.2, 'peakValue': 0.5, 'warmupSteps': 10, 'decaySteps': 40, 'endValue': 0.05, 'exponent': 2.0}]}),
    ('cosineOnecycle', {'transitionSteps': 100, 'peakValue': 0.1}),
    ('cosineOnecycle', {'transitionSteps': 33, 'peakValue': 2.0, 'pctStart': 0.5, 'divFactor': 10.0, 'finalDivFactor': 100.0}),
    ('linearOnecycle', {'transitionSteps': 100, 'peakValue': 0.1}),
    ('linearOnecycle', {'transitionSteps': 47, 'peakValue': 1.0, 'pctStart': 0.2, 'pctFinal': 0.7, 'divFactor': 5.0, 'finalDivFactor': 50.0}),
    ('piecewiseInterpolate', {'interpolateType': 'linear', 'initValue': 1.0, 'boundariesAndScales': {'10': 2.0, '30': 0.25, '31': 3.0, '70': 0.0}}),
    ('piecewiseInterpolate', {'interpolateType': 'cosine', 'initValue': 0.5, 'boundariesAndScales': {'0': 2.0, '25': 0.1, '60': 10.0}}),
    ('piecewiseInterpolate', {'interpolateType': 'linear', 'initValue': 0.7}),
]


def optax_schedule(name, o):
    import optax
    if name == 'polynomial':
        return optax.polynomial_schedule(o['initValue'], o['endValue'], o['power'], o['transitionSteps'], o.get('transitionBegin', 0))
    if name == 'joinSchedules':
        return optax.join_schedules([optax_schedule(n, a) for n, a in o['schedules']], o['boundaries'])
    if name == 'warmupConstant':
        return optax.warmup_constant_schedule(o['initValue'], o['peakValue'], o['warmupSteps'])
    if name == 'warmupExponentialDecay':
        return optax.warmup_exponential_decay_schedule(o['initValue'], o['peakValue'], o['warmupSteps'], o['transitionSteps'], o['decayRate'],
                                                       o.get('transitionBegin', 0), o.get('staircase', False), o.get('endValue'))
    if name == 'sgdr':
        keys = {'initValue': 'init_value', 'peakValue': 'peak_value', 'warmupSteps': 'warmup_steps', 'decaySteps': 'decay_steps',
                'endValue': 'end_value', 'exponent': 'exponent'}
        return optax.sgdr_schedule([{keys[k]: v for k, v in c.items()} for c in o['cycles']])
    if name == 'cosineOnecycle':
        return optax.cosine_onecycle_schedule(o['transitionSteps'], o['peakValue'], o.get('pctStart', 0.3), o.get('divFactor', 25.0),
                                              o.get('finalDivFactor', 1e4))
    if name == 'linearOnecycle':
        return optax.linear_onecycle_schedule(o['transitionSteps'], o['peakValue'], o.get('pctStart', 0.3), o.get('pctFinal', 0.85),
                                              o.get('divFactor', 25.0), o.get('finalDivFactor', 1e4))
    if name == 'piecewiseInterpolate':
        bs = o.get('boundariesAndScales')
        return optax.piecewise_interpolate_schedule(o['interpolateType'], o['initValue'], None if bs is None else {int(k): v for k, v in bs.items()})
    raise ValueError(name)


def schedules():
    import jax
    jax.config.update('jax_enable_x64', True)
    import jax.numpy as jnp
    steps = list(range(0, 161))
    cases = []
    for name, o in SCHEDULES:
        s = optax_schedule(name, o)
        values = [float(jnp.asarray(s(jnp.asarray(t, dtype=jnp.int64)), dtype=jnp.float64)) for t in steps]
        cases.append({'name': name, 'options': o, 'steps': steps, 'values': values})
    write('schedules.json', {'versions': versions(), 'x64': True, 'cases': cases})


# ----------------------------------------------------------------------------------------------
# combinators (float32): g_t = scale_t · a ⊙ (w − c), NaN injected where a case says

SHAPES = {
    # The main problem: a dense kernel, a conv kernel and a bias.
    'main': {'w': [3, 4], 'v': [2, 2, 2, 3], 'b': [4]},
    # Shapes where optax's unit norms have special cases: rank 3, size-1 axes (squeezed), rank 5, a scalar.
    'shapes': {'m': [2, 3, 4], 'r': [1, 5], 'c': [5, 1], 'q': [2, 1, 2, 2, 3], 's': []},
}


def problem(which):
    import numpy as np
    rng = np.random.default_rng(20261201 if which == 'main' else 20261202)
    f32 = lambda x: np.asarray(x, dtype=np.float32)
    return {n: {'w0': f32(rng.normal(size=s)), 'a': f32(rng.uniform(0.5, 2.0, size=s)), 'c': f32(rng.normal(size=s))} for n, s in SHAPES[which].items()}


def cases():
    import optax
    sgd_m = lambda: optax.sgd(0.1, momentum=0.9)
    mask_no_b = {'w': True, 'v': True, 'b': False}
    skip = functools.partial(optax.skip_large_updates, max_squared_norm=400.0)
    return [
        ('partition', optax.partition({'a': optax.adam(0.01), 'b': optax.sgd(0.1, momentum=0.9)}, {'w': 'a', 'v': 'b', 'b': 'b'}), {}),
        ('freeze', optax.chain(optax.sgd(0.1, momentum=0.9), optax.freeze({'w': False, 'v': True, 'b': False})), {}),
        ('namedChain', optax.named_chain(('clip', optax.clip_by_global_norm(1.0)), ('sgd', sgd_m())), {}),
        ('lookahead', optax.lookahead(optax.sgd(0.1, momentum=0.9), sync_period=5, slow_step_size=0.5), {'lookahead': True}),
        ('lookaheadReset', optax.lookahead(optax.adam(0.05), sync_period=3, slow_step_size=0.3, reset_state=True), {'lookahead': True}),
        ('ema', optax.chain(optax.ema(0.9), optax.scale(-0.1)), {}),
        ('emaNoDebias', optax.chain(optax.ema(0.8, debias=False), optax.scale(-0.1)), {}),
        ('zeroNans', optax.chain(optax.zero_nans(), sgd_m()), {'nans': [[2, 'w', 5], [7, 'b', 0], [7, 'v', 11], [30, 'w', 0]]}),
        ('skipLargeUpdates', optax.MultiSteps(sgd_m(), 1, should_skip_update_fn=skip).gradient_transformation(),
         {'gradScale': {'3': 30.0, '17': 50.0, '40': 25.0}, 'nans': [[25, 'v', 3]]}),
        ('applyEvery', optax.chain(sgd_m(), optax.apply_every(3)), {}),
        ('adaptiveGradClip', optax.chain(optax.adaptive_grad_clip(0.05), optax.sgd(0.1)), {}),
        ('adaptiveGradClipShapes', optax.chain(optax.adaptive_grad_clip(0.05), optax.sgd(0.1)), {'problem': 'shapes'}),
        ('centralize', optax.chain(optax.centralize(), sgd_m()), {}),
        ('centralizeShapes', optax.chain(optax.centralize(), sgd_m()), {'problem': 'shapes'}),
        ('adamwMask', optax.adamw(0.01, weight_decay=0.1, mask=mask_no_b), {}),
        ('sgdMask', optax.chain(optax.add_decayed_weights(0.1, mask=mask_no_b), sgd_m()), {}),
    ]


def combinators():
    import jax
    import jax.numpy as jnp
    import numpy as np
    import optax
    probs = {which: problem(which) for which in SHAPES}
    out = []
    for name, tx, extra in cases():
        prob = probs[extra.get('problem', 'main')]
        params = {n: jnp.asarray(p['w0']) for n, p in prob.items()}
        la = extra.get('lookahead', False)
        tree = optax.LookaheadParams.init_synced(params) if la else params
        state = tx.init(tree)
        scale = {int(k): v for k, v in extra.get('gradScale', {}).items()}
        record = {}
        for t in range(50):
            fast = tree.fast if la else tree
            g = {n: jnp.float32(scale.get(t, 1.0)) * (jnp.asarray(prob[n]['a']) * (fast[n] - jnp.asarray(prob[n]['c']))) for n in prob}
            for (step, leaf, idx) in extra.get('nans', []):
                if step == t:
                    g[leaf] = g[leaf].reshape(-1).at[idx].set(jnp.nan).reshape(g[leaf].shape)
            u, state = tx.update(g, state, tree)
            tree = optax.apply_updates(tree, u)
            if t + 1 in (10, 50):
                fast = tree.fast if la else tree
                record[str(t + 1)] = {n: [float(x) for x in np.asarray(fast[n], dtype=np.float32).reshape(-1)] for n in prob}
        assert all(np.isfinite(v).all() for r in record.values() for v in r.values()), name
        out.append({'name': name, **{k: v for k, v in extra.items() if k != 'lookahead'}, 'at': record})
    problems_json = {which: {n: {k: [float(x) for x in v.reshape(-1)] for k, v in p.items()} | {'shape': SHAPES[which][n]} for n, p in prob.items()}
                     for which, prob in probs.items()}
    write('combinators.json', {'versions': versions(), 'problems': problems_json,
                               'gradient': 'g_t = gradScale[t] · a ⊙ (w − c) in float32, then NaN at each [step, leaf, flat index] of nans; '
                                           'each case on problems[case.problem or main]',
                               'cases': out})


if __name__ == '__main__':
    if sys.argv[1:] == ['schedules']:
        schedules()
    else:
        os.makedirs(OUT, exist_ok=True)
        combinators()
        # Schedules need float64 (jax_enable_x64), which would change the float32 problems above: a second process.
        subprocess.run([sys.executable, os.path.abspath(__file__), 'schedules'], check=True)
