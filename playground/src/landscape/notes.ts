// The notes under the landscapes view: which noise RWP uses on a 2-D plane and why, and what the surfaces are for.

const P = (html: string): HTMLParagraphElement => Object.assign(document.createElement('p'), { innerHTML: html });

/** notes(): the explanatory section (static text; every outcome it mentions is computed live above). */
export function notes(): HTMLElement {
  const s = document.createElement('section');
  s.className = 'ls-notes';
  const h = document.createElement('h3');
  h.textContent = 'What is computed here, and which noise';
  s.append(
    h,
    P('Each trajectory is optimix’s real <code>step(optimizer, loss, params, batch, state)</code> on params <code>{ w: [2] }</code>, the sequential interpreter, from <code>key(seed)</code>: the same key gives the same run, bit for bit. SGD is <code>optimizer(cleanGrad, sgd(lr, { momentum }))</code>; SAM is <code>sam({ ρ })</code> with the same rule; RWP is <code>mix(cleanGrad, perturbedGrad(noise(σ)), λ)</code> with the same rule.'),
    P('<strong>Which noise.</strong> RWP’s own <code>filterNoise(σ)</code> draws each output filter’s noise with std σ·‖W<sub>i</sub>‖, the filter’s norm, so that the noise follows the scale of each layer of a network. A 2-vector w is a single filter (a rank-1 leaf), so there the std is σ·‖w‖: large far from the origin, zero at it — and the origin of a toy plane is an arbitrary point. optimix has no built-in isotropic noise, so this page defines one with <code>definePerturbation</code> (the open algebra, a few lines): <code>isotropicNoise({ σ })</code>, ε ~ N(0, σ²·I), the same at every point. The RWP line uses it; in your own composition you can pick either, and the presets (RWP, m-RWP, ARWP, …) use the library’s filter noise, exactly as they are.'),
    P('<strong>The sharp and flat basins.</strong> The left basin is deeper but narrow; the right one is shallower and wide. SGD, which sees only the gradient at w, rolls into the narrow basin on its way and stays. SAM takes its gradient at the worst point within ρ, which lies outside a basin narrower than ρ; RWP averages gradients at random points around w, and a narrow basin barely registers in that average. RWP’s λ is 0.8 here: with the papers’ λ = 0.5, half of its gradient is the clean one, and on this surface that half usually holds it in the sharp basin — from the default start with σ = 0.5, RWP stayed there for 10 of the keys key(0) … key(11) and escaped for key(0) and key(5); at λ = 0.8 it escaped for all 12. Set λ to 0.5, change the key, and watch. Where each one ends is written beside the loss plot, computed from the run, not claimed.'),
    P('<strong>Hyperparameters and presets.</strong> ρ and σ are sized for this plane (the papers’ ρ = 0.05 and σ = 0.01 are sized for network weights and barely move a point here). The presets run as the library defines them, with ρ, σ and λ from the controls of your own composition: so ASAM equals SAM here (a rank-1 leaf gets T = 1, as a bias does in the authors’ code), m-sharpness SAM equals SAM too (only the noisy quadratic’s loss depends on the batch), and the filter-noise presets (RWP, m-RWP, ARWP, m-ARWP, RSAM) draw noise of std σ·‖w‖, several times the isotropic σ at most points of this plot.'),
  );
  return s;
}
