// Small form controls for the landscapes view: a labelled slider with its value shown, a labelled select.

/** A control: its element, and its value. */
export interface Control<T> {
  readonly el: HTMLElement;
  get(): T;
  set(v: T): void;
}

/** slider(name, label, { min, max, step }, value, onInput): a range input with its value printed beside it. */
export function slider(name: string, label: string, r: { min: number; max: number; step: number }, value: number, onChange: () => void): Control<number> {
  const el = document.createElement('label');
  el.className = 'ls-slider';
  const text = document.createElement('span');
  text.textContent = label;
  const input = document.createElement('input');
  Object.assign(input, { type: 'range', name, min: String(r.min), max: String(r.max), step: String(r.step), value: String(value) });
  const out = document.createElement('output');
  const show = () => (out.textContent = input.value);
  show();
  input.addEventListener('input', show);
  input.addEventListener('change', onChange);
  el.append(text, input, out);
  return { el, get: () => Number(input.value), set: (v) => ((input.value = String(v)), show()) };
}

/** numberInput(name, label, step, value, onChange): a number field (for learning rates spanning decades). */
export function numberInput(name: string, label: string, step: number, value: number, onChange: () => void): Control<number> {
  const el = document.createElement('label');
  el.className = 'ls-number';
  const text = document.createElement('span');
  text.textContent = label;
  const input = document.createElement('input');
  Object.assign(input, { type: 'number', name, min: '0', step: String(step), value: String(value) });
  input.addEventListener('change', onChange);
  el.append(text, input);
  return { el, get: () => Number(input.value), set: (v) => (input.value = String(v)) };
}

/** select(name, label, options, value, onChange): a select; options are [value, text] or a group [label, options]. */
export function select(name: string, label: string, options: readonly (readonly [string, string] | readonly [string, readonly (readonly [string, string])[]])[], value: string, onChange: () => void): Control<string> {
  const el = document.createElement('label');
  el.className = 'ls-select';
  const text = document.createElement('span');
  text.textContent = label;
  const input = document.createElement('select');
  input.name = name;
  const option = ([v, t]: readonly [string, string]) => Object.assign(document.createElement('option'), { value: v, textContent: t });
  for (const o of options) {
    if (typeof o[1] === 'string') input.append(option(o as readonly [string, string]));
    else {
      const g = document.createElement('optgroup');
      g.label = o[0];
      g.append(...(o[1] as readonly (readonly [string, string])[]).map(option));
      input.append(g);
    }
  }
  input.value = value;
  input.addEventListener('change', onChange);
  el.append(text, input);
  return { el, get: () => input.value, set: (v) => (input.value = v) };
}
