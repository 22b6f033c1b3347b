// The kinds optimix ships, registered on import (the walkers import this, so a worker that evaluates a source has them).
import './clean.js';
import './perturbed.js';
import './mix.js';
import '../perturbation/filterNoise.js';
import '../perturbation/adaptiveFilterNoise.js';
import '../perturbation/adversarial.js';
import './methods/sampa.js';
import './subtractOrthogonal.js';
import './microBatches.js';
import '../perturbation/nested.js';
import '../perturbation/momentumAscent.js';
import '../perturbation/friendlyAdversarial.js';
import './methods/lookSam.js';
