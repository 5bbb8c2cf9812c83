// The progress of adding images: "Adding images: 1,234 of 5,000" with a bar
// and a Stop button, shown while files are checked. Several additions at once
// (files dropped on two classes) share it, and Stop stops them all; what was
// checked before the Stop stays added. A screen reader hears when adding
// starts and ends (the status line), not every count.
const count = new Intl.NumberFormat('en');
const images = (n) => `${count.format(n)} ${n === 1 ? 'image' : 'images'}`;

export function createIntakeProgress({ root, bar, text, stopButton, status, focusAfter }) {
  const jobs = new Set();
  let added = 0;  // by the additions since the progress was last hidden
  let stopped = false;

  function draw() {
    // Focus on the Stop button would be lost with it: it moves to `focusAfter`.
    if (jobs.size === 0 && root.contains(document.activeElement)) focusAfter.focus();
    root.hidden = jobs.size === 0;
    let total = 0;
    let done = 0;
    for (const job of jobs) {
      total += job.total;
      done += job.done;
    }
    bar.max = Math.max(1, total);
    bar.value = done;
    text.textContent = stopped ? `Stopping: ${count.format(done)} of ${count.format(total)} checked` : `Adding images: ${count.format(done)} of ${count.format(total)}`;
  }

  stopButton.addEventListener('click', () => {
    stopped = true;
    for (const job of jobs) job.stopped = true;
    draw();
  });

  return {
    /**
     * Starts showing the addition of `total` files; returns the job to report
     * on: checked(done), added(n), finish(), and `stopped` once Stop was pressed.
     */
    start(total) {
      const job = { total, done: 0, stopped: false };
      if (jobs.size === 0) {
        added = 0;
        stopped = false;
        status.textContent = `Adding ${images(total)}…`;
      }
      jobs.add(job);
      draw();
      return {
        get stopped() {
          return job.stopped;
        },
        checked(done) {
          job.done = done;
          draw();
        },
        added(n) {
          added += n;
        },
        finish() {
          jobs.delete(job);
          if (jobs.size === 0) status.textContent = `${stopped ? 'Stopped adding' : 'Done adding'}: ${images(added)} added.`;
          draw();
        },
      };
    },
  };
}
