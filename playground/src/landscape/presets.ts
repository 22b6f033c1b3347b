// The presets the "How SAM and RWP work" pages link to (`#landscapes?own=<id>`, the id a docs/methods page's file
// name), built with optimix's own constructors at the landscape's scale: ρ, σ and λ come from the view's controls
// (the papers' defaults, ρ = 0.05 and σ = 0.01, are sized for network weights and barely move a point on a 2-D plot).
import { arwp, asam, cleanGrad, fsam, gsam, lookSam, mArwp, momentumSam, mRwp, mSharpnessSam, rsam, rwp, sam, sampa, type GradientSource } from 'optimix';

/** The scale-dependent settings a preset takes from the view. */
export interface PresetScale {
  readonly rho: number;
  readonly sigma: number;
  readonly lambda: number;
  readonly lr: number;
  readonly steps: number;
}

/** Each preset: its name, its source at the landscape's scale, and its source with the library's defaults. */
const PRESETS = {
  sgd: { label: 'SGD (clean gradient)', make: () => cleanGrad, defaults: () => cleanGrad },
  sam: { label: 'SAM', make: (s: PresetScale) => sam({ rho: s.rho }), defaults: () => sam() },
  asam: { label: 'ASAM', make: (s: PresetScale) => asam({ rho: s.rho }), defaults: () => asam() },
  fsam: { label: 'F-SAM', make: (s: PresetScale) => fsam({ rho: s.rho }), defaults: () => fsam() },
  gsam: { label: 'GSAM', make: (s: PresetScale) => gsam({ rho: s.rho }), defaults: () => gsam() },
  looksam: { label: 'LookSAM', make: (s: PresetScale) => lookSam({ rho: s.rho }), defaults: () => lookSam() },
  'm-sharpness-sam': { label: 'm-sharpness SAM', make: (s: PresetScale) => mSharpnessSam({ rho: s.rho, microBatches: 2 }), defaults: () => mSharpnessSam({ microBatches: 4 }) },
  'momentum-sam': { label: 'MSAM', make: (s: PresetScale) => momentumSam({ rho: s.rho }), defaults: () => momentumSam() },
  rsam: { label: 'RSAM', make: (s: PresetScale) => rsam({ rho: s.rho, sigma: s.sigma }), defaults: () => rsam() },
  sampa: { label: 'SAMPa', make: (s: PresetScale) => sampa({ rho: s.rho, lr: s.lr }), defaults: () => sampa({ lr: 0.1 }) },
  rwp: { label: 'RWP (filter noise)', make: (s: PresetScale) => rwp({ sigma: s.sigma, lambda: s.lambda }), defaults: () => rwp() },
  'm-rwp': { label: 'm-RWP', make: (s: PresetScale) => mRwp({ sigma: s.sigma, lambda: s.lambda }), defaults: () => mRwp() },
  arwp: { label: 'ARWP', make: (s: PresetScale) => arwp({ sigma: s.sigma, steps: s.steps }), defaults: () => arwp({ steps: 1000 }) },
  'm-arwp': { label: 'm-ARWP', make: (s: PresetScale) => mArwp({ sigma: s.sigma, lambda: s.lambda }), defaults: () => mArwp() },
} as const;

/** A preset's id: the file name of its docs/methods page. */
export type PresetId = keyof typeof PRESETS;
/** The preset ids, in the order the composer lists them. */
export const PRESET_IDS = Object.keys(PRESETS) as PresetId[];
/** isPreset(id): whether a page name has a preset. */
export const isPreset = (id: string): id is PresetId => Object.hasOwn(PRESETS, id);
/** presetLabel(id): its name in the composer. */
export const presetLabel = (id: PresetId): string => PRESETS[id].label;
/** presetSource(id, scale): the preset's gradient source at the landscape's scale. */
export const presetSource = (id: PresetId, s: PresetScale): GradientSource => PRESETS[id].make(s);
/** presetDefaults(id): the preset with the library's defaults (SAMPa with lr 0.1, ARWP over 1000 steps, m-sharpness with 4 micro-batches). */
export const presetDefaults = (id: PresetId): GradientSource => PRESETS[id].defaults();
