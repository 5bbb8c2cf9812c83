// Line charts of a metric per epoch, drawn on a canvas: training as a solid
// line, validation dashed (told apart without colour too), and a marker where
// fine-tuning starts. Colours come from the stylesheet, so dark mode works.

const PAD = { left: 44, right: 12, top: 12, bottom: 26 };

function colours(canvas) {
  const style = getComputedStyle(canvas);
  const get = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: get('--chart-text', '#444'),
    grid: get('--chart-grid', '#ddd'),
    train: get('--chart-train', '#1b6ac9'),
    validation: get('--chart-validation', '#d4561e'),
  };
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

/**
 * Draws series over history [{phase, logs}] for `key` (e.g. 'loss') and
 * `val_${key}`. `fixedMax` pins the y axis (1 for accuracy).
 */
function draw(canvas, history, key, { fixedMax, percent = false } = {}) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const c = colours(canvas);
  const train = history.map((h) => h.logs[key]);
  const validation = history.map((h) => h.logs[`val_${key}`]);
  const finite = [...train, ...validation].filter(Number.isFinite);
  const yMax = fixedMax ?? niceMax(Math.max(...finite, 0));
  const n = Math.max(history.length, 2);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (plotW * i) / (n - 1);
  const y = (v) => PAD.top + plotH * (1 - Math.min(v, yMax) / yMax);

  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.strokeStyle = c.grid;
  ctx.fillStyle = c.text;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let t = 0; t <= 4; t++) {
    const v = (yMax * t) / 4;
    ctx.beginPath();
    ctx.moveTo(PAD.left, y(v));
    ctx.lineTo(width - PAD.right, y(v));
    ctx.stroke();
    ctx.fillText(percent ? `${Math.round(v * 100)}%` : v.toPrecision(2), PAD.left - 4, y(v));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const every = Math.ceil(history.length / 10) || 1;
  history.forEach((_, i) => i % every === 0 && ctx.fillText(String(i + 1), x(i), height - PAD.bottom + 6));

  const fineTuneStart = history.findIndex((h) => h.phase === 'fine-tune');
  if (fineTuneStart > 0) {
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    ctx.moveTo(x(fineTuneStart - 0.5), PAD.top);
    ctx.lineTo(x(fineTuneStart - 0.5), height - PAD.bottom);
    ctx.stroke();
    // The label goes on whichever side of the marker has room.
    const right = x(fineTuneStart - 0.5) > width / 2;
    ctx.textAlign = right ? 'right' : 'left';
    ctx.fillText('fine-tuning', x(fineTuneStart - 0.5) + (right ? -3 : 3), PAD.top);
  }

  const line = (values, colour, dash) => {
    ctx.setLineDash(dash);
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let drawing = false;
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        drawing = false;
        return;
      }
      if (drawing) ctx.lineTo(x(i), y(v));
      else ctx.moveTo(x(i), y(v));
      drawing = true;
    });
    ctx.stroke();
    ctx.setLineDash([]);
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      ctx.beginPath();
      ctx.arc(x(i), y(v), 2.5, 0, 2 * Math.PI);
      ctx.fill();
    });
  };
  line(train, c.train, []);
  line(validation, c.validation, [6, 4]);
}

function describe(history, key, percent) {
  if (!history.length) return 'no epochs yet';
  const last = history[history.length - 1].logs;
  const show = (v) => (Number.isFinite(v) ? (percent ? `${(v * 100).toFixed(1)} %` : v.toFixed(3)) : 'n/a');
  const validation = Number.isFinite(last[`val_${key}`]) ? `, validation ${show(last[`val_${key}`])}` : '';
  return `after ${history.length} epochs: training ${show(last[key])}${validation}`;
}

/** Redraws both charts whenever the history changes or the canvases are resized. */
export function bindCharts({ lossCanvas, accuracyCanvas, store }) {
  const redraw = () => {
    const { history } = store.state;
    draw(lossCanvas, history, 'loss');
    draw(accuracyCanvas, history, 'accuracy', { fixedMax: 1, percent: true });
    lossCanvas.setAttribute('aria-label', `Loss per epoch, ${describe(history, 'loss', false)}`);
    accuracyCanvas.setAttribute('aria-label', `Accuracy per epoch, ${describe(history, 'accuracy', true)}`);
  };
  store.watch('history', redraw);
  const resized = new ResizeObserver(redraw);
  resized.observe(lossCanvas);
  resized.observe(accuracyCanvas);
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redraw);
}
