// Progress output: a redrawn bar on a terminal, plain lines otherwise.

export function makeProgress(stream = process.stderr) {
  const tty = Boolean(stream.isTTY);
  let lastLine = 0;
  return {
    update(text, fraction) {
      if (tty) {
        const width = 24;
        const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`.padEnd(100).slice(0, 120));
      } else if (Date.now() - lastLine > 5000 || fraction >= 1) {
        stream.write(`${text}\n`);
        lastLine = Date.now();
      }
    },
    line(text) {
      stream.write(tty ? `\r${text.padEnd(100)}\n` : `${text}\n`);
    },
  };
}
