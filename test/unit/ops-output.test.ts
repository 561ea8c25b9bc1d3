import { describe, expect, it, vi } from 'vitest';
import { bufferIo, processIo } from '../../ops/command.ts';
import { table } from '../../ops/format.ts';

/** A product title as a hostile store might send it: clear the screen, set the window title, write the clipboard. */
const HOSTILE = 'Kettle\u001b[2J\u001b]0;owned\u0007\u001b]52;c;cm0gLXJmIH4=\u0007 \u202eexe.gnp\u009b31m';

describe('operator command output', () => {
  it('shows terminal control characters from order data as visible escapes, never raw', () => {
    // Prepare
    const io = bufferIo();

    // Act
    io.out(table(['order', 'title'], [['1001', HOSTILE]]));
    io.err(`import: row 2: ${HOSTILE}\n`);

    // Assess
    for (const written of [io.stdout, io.stderr]) {
      expect(written).not.toMatch(/(?![\n\t])[\p{Cc}\p{Bidi_Control}]/u);
      expect(written).toContain('Kettle\\u001b[2J\\u001b]0;owned\\u0007');
      expect(written).toContain('\\u202eexe.gnp\\u009b31m');
    }
  });

  it('writes the same neutralised text to the terminal, keeping line breaks and the progress redraw', () => {
    // Prepare
    const written: string[] = [];
    const spies = [process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      }),
    );

    // Act
    try {
      processIo.out(`${HOSTILE}\nnext line\tcolumn`);
      processIo.err('\rimport [███░░░] 50%');
    } finally {
      for (const spy of spies) spy.mockRestore();
    }

    // Assess
    expect(written[0]).toBe(
      'Kettle\\u001b[2J\\u001b]0;owned\\u0007\\u001b]52;c;cm0gLXJmIH4=\\u0007 \\u202eexe.gnp\\u009b31m\nnext line\tcolumn\n',
    );
    expect(written[1]).toBe('\rimport [███░░░] 50%');
  });
});
