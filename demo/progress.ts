// Progress display for training runs: a redrawn bar per run on a TTY, one plain line per epoch otherwise (CI logs).
import { LABEL, type ProgressEvent } from './run.js';

/** Where progress goes: a writable with an optional isTTY/columns, e.g. process.stderr. */
export interface ProgressStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

/**
 * progressPrinter(stream, { tty }): a handler for runMethod's progress events. On a TTY it redraws a bar for the epoch
 * under way (`SGD    epoch 2/5 ████████░░░░░░░░  61/125 loss 0.3120 acc 97.10% 1,234 samples/s`, test accuracy of the
 * last epoch) and, when the epoch ends, replaces the bar by the epoch's line and ends that line, so every finished
 * epoch stays on screen; otherwise it prints the same epoch lines without the bar.
 */
export function progressPrinter(stream: ProgressStream, options: { readonly tty?: boolean; readonly width?: number } = {}): (e: ProgressEvent) => void {
  const tty = options.tty ?? stream.isTTY === true;
  const barWidth = options.width ?? 16;
  let lastAcc: number | undefined;
  let epochs = 0;
  let open = false; // a redrawn line is on screen without its newline
  const draw = (s: string): void => {
    const cols = stream.columns ?? 120;
    stream.write(`\r\x1b[K${s.length > cols - 1 ? s.slice(0, cols - 1) : s}`);
    open = true;
  };
  return (e) => {
    const name = LABEL[e.method].padEnd(7);
    const plural = (n: number): string => `${n} epoch${n === 1 ? '' : 's'}`;
    switch (e.kind) {
      case 'start':
        lastAcc = undefined;
        epochs = e.epochs;
        if (tty) draw(`${name} starting: ${e.formula}`);
        else stream.write(`${name} ${plural(e.epochs)} × ${e.stepsPerEpoch} steps: ${e.formula}\n`);
        break;
      case 'step': {
        if (!tty) break;
        const total = e.stepsPerEpoch;
        const filled = Math.round((barWidth * e.stepInEpoch) / total);
        const bar = '█'.repeat(filled) + '░'.repeat(barWidth - filled);
        const acc = lastAcc === undefined ? 'acc   —   ' : `acc ${pct(lastAcc)}`;
        draw(
          `${name}epoch ${e.epoch + 1}/${epochs} ${bar} ${String(e.stepInEpoch).padStart(String(total).length)}/${total} loss ${e.loss.toFixed(4)} ${acc} ${Math.round(e.samplesPerSecond).toLocaleString('en-US')} samples/s`,
        );
        break;
      }
      case 'epoch': {
        const r = e.record;
        const tested = Number.isFinite(r.testAccuracy);
        if (tested) lastAcc = r.testAccuracy;
        const testPart = tested ? `  test loss ${r.testLoss.toFixed(4)}  test acc ${pct(r.testAccuracy)}` : '';
        const text = `${name} epoch ${r.epoch}/${e.epochs}  train loss ${r.trainLoss.toFixed(4)}${testPart}  ${Math.round(r.samplesPerSecond).toLocaleString('en-US')} samples/s  ${r.seconds.toFixed(1)} s`;
        if (tty) {
          draw(text);
          stream.write('\n');
          open = false;
        } else stream.write(`${text}\n`);
        break;
      }
      case 'end':
        if (tty && open) stream.write('\n');
        open = false;
        break;
    }
  };
}
