import type { Io } from '../command.ts';

/**
 * Progress on stderr: a bar redrawn in place on a terminal (at most every 100 ms), a plain line per quarter when
 * stderr is a file or a pipe, so logs stay readable.
 */
export function progress(io: Io, total: number, label: string) {
  let done = 0;
  let drawnAt = 0;
  let quarter = 0;
  const draw = () => {
    const share = total ? done / total : 1;
    const filled = Math.round(share * 30);
    io.err(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(30 - filled)}] ${Math.round(share * 100)}% ${done}/${total}`);
  };
  return {
    tick() {
      done += 1;
      if (io.errIsTTY) {
        if (Date.now() - drawnAt >= 100 || done === total) {
          drawnAt = Date.now();
          draw();
        }
      } else if (total > 0 && Math.floor((done / total) * 4) > quarter) {
        quarter = Math.floor((done / total) * 4);
        io.err(`${label}: ${done}/${total}\n`);
      }
    },
    finish() {
      if (io.errIsTTY) io.err('\n');
    },
  };
}
