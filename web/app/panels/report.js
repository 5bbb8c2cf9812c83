// The validation report after training: accuracy, per-class precision and
// recall, and the confusion matrix (rows: true class, columns: predicted).
const percent = (v) => `${(100 * v).toFixed(1)} %`;

export function bindReport({ section, summary, table, store }) {
  store.watch('report', (report) => {
    section.hidden = !report;
    table.replaceChildren();
    if (!report) return;
    summary.textContent = `Accuracy ${percent(report.accuracy)} on ${report.count} held-out ${report.count === 1 ? 'image' : 'images'} (loss ${report.loss.toFixed(3)}).`;

    const cell = (tag, text, attributes = {}) => {
      const element = document.createElement(tag);
      element.textContent = text;
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      return element;
    };
    const caption = cell('caption', 'Confusion matrix: each row is a true class, each column the class predicted.');
    const head = document.createElement('thead');
    const corner = cell('td', 'true ↓ / predicted →', { class: 'corner' });
    head.append(rowOf(corner, ...report.classes.map((name) => cell('th', name, { scope: 'col' })), cell('th', 'recall', { scope: 'col' })));
    const body = document.createElement('tbody');
    report.confusion.forEach((counts, i) => {
      const total = counts.reduce((a, b) => a + b, 0);
      const cells = counts.map((count, j) => {
        const td = cell('td', String(count), { class: i === j ? 'hit' : 'miss' });
        // Shade by the share of the row, through the CSSOM (allowed by the style policy).
        td.style.setProperty('--share', total ? (count / total).toFixed(3) : '0');
        return td;
      });
      body.append(rowOf(cell('th', report.classes[i], { scope: 'row' }), ...cells, cell('td', percent(report.perClass[i].recall))));
    });
    const foot = document.createElement('tfoot');
    foot.append(rowOf(cell('th', 'precision', { scope: 'row' }), ...report.perClass.map((c) => cell('td', percent(c.precision))), cell('td', '')));
    table.append(caption, head, body, foot);
  });
}

function rowOf(...cells) {
  const row = document.createElement('tr');
  row.append(...cells);
  return row;
}
