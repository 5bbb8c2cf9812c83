// The validation report after training: accuracy, per-class precision and
// recall, and the confusion matrix (rows: true class, columns: predicted).
// Each cell opens the held-out images it counts, and the training images the
// model most disagrees with are listed as possible label mistakes, so that a
// user can fix the data rather than guess.
const percent = (v) => `${(100 * v).toFixed(1)} %`;

export function bindReport({ section, summary, table, cellImages, mistakes, store }) {
  let urls = [];
  const freeUrls = () => {
    urls.forEach((url) => URL.revokeObjectURL(url));
    urls = [];
  };
  // Image id -> {blob, name, className}, from the project as it is now.
  const imageById = () => new Map(store.state.classes.flatMap((c) => c.images.map((image) => [image.id, { ...image, className: c.name }])));

  /** A gallery item: the image (when still in the project) and a caption. */
  function figure(image, text) {
    const item = document.createElement('li');
    const fig = document.createElement('figure');
    if (image?.blob) {
      const img = document.createElement('img');
      const url = URL.createObjectURL(image.blob);
      urls.push(url);
      img.src = url;
      img.alt = image.name ?? 'image';
      fig.append(img);
    }
    const caption = document.createElement('figcaption');
    caption.textContent = image ? text : `${text} (no longer in the project)`;
    fig.append(caption);
    item.append(fig);
    return item;
  }

  function showCell(report, i, j) {
    const images = imageById();
    const members = (report.examples ?? []).filter((e) => e.label === report.classes[i] && e.predicted === report.classes[j]);
    const list = cellImages.querySelector('ul');
    list.replaceChildren(...members.map((e) => {
      const image = images.get(e.id);
      return figure(image, `${image?.name ?? 'image'}: ${e.predicted} ${percent(e.probability)}`);
    }));
    const what = i === j ? `${report.classes[i]} recognised as ${report.classes[i]}` : `${report.classes[i]} taken for ${report.classes[j]}`;
    cellImages.querySelector('p').textContent = `${members.length} held-out ${members.length === 1 ? 'image' : 'images'}: ${what}.`;
    cellImages.hidden = false;
  }

  function showMistakes(report) {
    const images = imageById();
    const suspects = report.suspects ?? [];
    mistakes.hidden = suspects.length === 0;
    mistakes.querySelector('ul').replaceChildren(...suspects.map((s) => {
      const image = images.get(s.id);
      return figure(image, `${image?.name ?? 'image'}: labelled ${s.label}, looks like ${s.predicted} (${percent(s.probability)})`);
    }));
  }

  store.watch('report', (report) => {
    section.hidden = !report;
    table.replaceChildren();
    freeUrls();
    cellImages.hidden = true;
    mistakes.hidden = true;
    if (!report) return;
    showMistakes(report);
    if (report.suspectsOnly) {
      summary.textContent = 'No images were held out (validation split 0), so there is no validation score.';
      return;
    }
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
        const td = cell('td', '', { class: i === j ? 'hit' : 'miss' });
        if (report.examples && count > 0) {
          const button = cell('button', String(count), { type: 'button', class: 'cell', 'aria-pressed': 'false', 'data-testid': 'confusion-cell',
            'aria-label': `${count} ${report.classes[i]} predicted as ${report.classes[j]}: show them` });
          button.addEventListener('click', () => {
            for (const other of table.querySelectorAll('button.cell')) other.setAttribute('aria-pressed', String(other === button));
            showCell(report, i, j);
          });
          td.append(button);
        } else {
          td.textContent = String(count);
        }
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
