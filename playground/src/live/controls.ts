// The live view's controls: label noise, epochs, learning rate, σ, ρ (and, folded away, batch, width, seed), which
// methods to train, where the mixes' two gradients run, and the Train / Stop button. `read()` checks every field and
// names each bad one.
import { COLOUR, LABEL, METHODS, type Method } from './methods.ts';
import { NETWORKS, RANGES, RHO_DEFAULT, checkNumber, type LiveSettings, type Network } from './settings.ts';
import { MIXES, type Mixes } from './workers.ts';

type Field = 'epochs' | 'lr' | 'sigma' | 'rho' | 'batchSize' | 'hidden' | 'seed';
const FIELDS: readonly { readonly name: Field; readonly label: string; readonly hint: string; readonly more?: true }[] = [
  { name: 'epochs', label: 'Epochs', hint: 'passes over the 1,000 training digits (same number of updates for every method)' },
  { name: 'lr', label: 'Learning rate', hint: 'peak of a cosine decay to 0; SGD momentum 0.9, weight decay 5·10⁻⁴' },
  { name: 'sigma', label: 'RWP σ', hint: 'filter noise: ε ~ N(0, (σ‖W_i‖)²) per output filter' },
  { name: 'rho', label: 'SAM ρ', hint: 'radius of the adversarial step ε = ρ·g/‖g‖' },
  { name: 'batchSize', label: 'Batch', hint: 'examples per gradient', more: true },
  { name: 'hidden', label: 'MLP width', hint: 'the MLP: 784 → width → 10 (relu)', more: true },
  { name: 'seed', label: 'Seed', hint: 'initialization, batch order and noise (one for all methods)', more: true },
];
const NOISE = [0, 0.2, 0.4, 0.6];

/** The form, with its reader and its running/idle switch. */
export interface Controls {
  readonly form: HTMLFormElement;
  /** The settings in the form, or the problems with them. */
  readonly read: () => { readonly settings?: LiveSettings; readonly problems: readonly string[] };
  /** Running: fields locked, the button says Stop. */
  readonly setRunning: (running: boolean) => void;
  readonly button: HTMLButtonElement;
}

function labelled(text: string, control: HTMLElement, hint?: string): HTMLLabelElement {
  const l = document.createElement('label');
  l.className = 'live-field';
  const t = document.createElement('span');
  t.className = 'live-field-name';
  t.textContent = text;
  l.append(t, control);
  if (hint !== undefined) l.title = hint;
  return l;
}

const MIX_LABEL: Readonly<Record<Mixes, string>> = {
  sequential: 'one after the other, on this thread',
  workers: 'at once: one on a Web Worker (workers: 1)',
  both: 'each way, to compare the times',
};

/** controls(initial): the form filled with `initial`. */
export function controls(initial: LiveSettings): Controls {
  const form = document.createElement('form');
  form.className = 'live-controls';
  form.noValidate = true;

  const noise = document.createElement('select');
  noise.name = 'noise';
  for (const f of NOISE) noise.append(new Option(f === 0 ? 'all true' : `${Math.round(f * 100)} % flipped`, String(f), false, f === initial.noise));
  if (!NOISE.includes(initial.noise)) noise.append(new Option(`${Math.round(initial.noise * 100)} % flipped`, String(initial.noise), false, true));
  form.append(labelled('Training labels', noise, 'symmetric label noise: each flipped label becomes a random other digit (test labels stay true)'));

  const network = document.createElement('select');
  network.name = 'model';
  const NETWORK_LABEL: Readonly<Record<Network, string>> = { mlp: 'MLP', cnn: 'small CNN' };
  for (const n of NETWORKS) network.append(new Option(NETWORK_LABEL[n], n, false, n === initial.model));
  form.append(labelled('Network', network, 'MLP: 784 → width → 10 (relu); small CNN: conv 3×3 (8, then 16 channels) → relu → max-pool, twice, then dense (slower per step, so a worker gains more)'));

  const inputs = new Map<Field, HTMLInputElement>();
  const more = document.createElement('details');
  more.className = 'live-more';
  more.append(Object.assign(document.createElement('summary'), { textContent: 'More settings' }));
  for (const f of FIELDS) {
    const r = RANGES[f.name];
    const input = Object.assign(document.createElement('input'), { type: 'number', name: f.name, value: String(initial[f.name]), min: String(r.min), max: String(r.max), step: r.integer ? '1' : 'any' });
    inputs.set(f.name, input);
    (f.more === true ? more : form).append(labelled(f.label, input, f.hint));
  }
  form.append(more);
  // Each network has its own default ρ (see RHO_DEFAULT): switching the network sets it.
  network.addEventListener('change', () => {
    inputs.get('rho')!.value = String(RHO_DEFAULT[network.value as Network]);
  });

  const methods = document.createElement('fieldset');
  methods.className = 'live-methods';
  methods.append(Object.assign(document.createElement('legend'), { textContent: 'Methods' }));
  const boxes = new Map<Method, HTMLInputElement>();
  for (const m of METHODS) {
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'method', value: m, checked: initial.methods.includes(m) });
    boxes.set(m, box);
    const l = document.createElement('label');
    const sw = Object.assign(document.createElement('span'), { className: 'swatch' });
    sw.style.background = COLOUR[m];
    l.append(box, sw, document.createTextNode(LABEL[m]));
    methods.append(l);
  }
  form.append(methods);

  const where = document.createElement('fieldset');
  where.className = 'live-where';
  where.append(Object.assign(document.createElement('legend'), { textContent: "RWP's and m-RWP's two gradients" }));
  const radios = MIXES.map((mode) => {
    const r = Object.assign(document.createElement('input'), { type: 'radio', name: 'mixes', value: mode, checked: initial.mixes === mode });
    const l = document.createElement('label');
    l.append(r, document.createTextNode(MIX_LABEL[mode]));
    where.append(l);
    return r;
  });
  form.append(where);

  const button = Object.assign(document.createElement('button'), { type: 'submit', className: 'live-train', textContent: 'Train' });
  form.append(button);

  const read = (): { settings?: LiveSettings; problems: string[] } => {
    const problems: string[] = [];
    const values: Partial<Record<Field, number>> = {};
    for (const [name, input] of inputs) {
      const v = input.value.trim() === '' ? Number.NaN : Number(input.value);
      const p = checkNumber(name, v);
      input.classList.toggle('invalid', p !== undefined);
      if (p !== undefined) problems.push(p);
      values[name] = v;
    }
    const chosen = METHODS.filter((m) => boxes.get(m)!.checked);
    if (chosen.length === 0) problems.push('choose at least one method');
    if (problems.length > 0) return { problems };
    const mixes = (radios.find((r) => r.checked)?.value ?? 'sequential') as Mixes;
    return { settings: Object.freeze({ ...(values as Record<Field, number>), noise: Number(noise.value), model: network.value as Network, methods: chosen, mixes }), problems };
  };
  const setRunning = (running: boolean): void => {
    for (const e of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) e.disabled = running;
    button.textContent = running ? 'Stop' : 'Train';
    button.classList.toggle('stop', running);
  };
  return { form, read, setRunning, button };
}
