// Accuracy, loss, per-class precision and recall, and the confusion matrix
// of class-probability predictions against integer labels.

/**
 * probabilities: Float32Array [n * k]; labels: integer class per row.
 * confusion[i][j] counts rows of true class i predicted as j.
 */
export function classificationReport(probabilities, labels, classNames) {
  const k = classNames.length;
  const n = labels.length;
  const confusion = Array.from({ length: k }, () => new Array(k).fill(0));
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (probabilities[i * k + j] > probabilities[i * k + best]) best = j;
    confusion[labels[i]][best] += 1;
    if (best === labels[i]) correct += 1;
    loss -= Math.log(Math.min(Math.max(probabilities[i * k + labels[i]], 1e-7), 1 - 1e-7));
  }
  const perClass = classNames.map((name, c) => {
    const truePositives = confusion[c][c];
    const predicted = confusion.reduce((s, row) => s + row[c], 0);
    const actual = confusion[c].reduce((s, v) => s + v, 0);
    return {
      className: name,
      precision: predicted ? truePositives / predicted : 0,
      recall: actual ? truePositives / actual : 0,
      support: actual,
    };
  });
  return { accuracy: n ? correct / n : 0, loss: n ? loss / n : 0, count: n, classes: classNames, confusion, perClass };
}

/** The report as aligned text lines. */
export function formatReport(report) {
  const lines = [
    `accuracy ${(100 * report.accuracy).toFixed(2)} %  loss ${report.loss.toFixed(4)}  (${report.count} images)`,
    '',
    'class              precision  recall  support',
  ];
  for (const c of report.perClass) {
    lines.push(`${c.className.padEnd(18)} ${c.precision.toFixed(3).padStart(9)}  ${c.recall.toFixed(3).padStart(6)}  ${String(c.support).padStart(7)}`);
  }
  lines.push('', 'confusion matrix (rows: true class, columns: predicted)');
  const width = Math.max(6, ...report.classes.map((c) => c.length)) + 1;
  lines.push(' '.repeat(width) + report.classes.map((c) => c.padStart(width)).join(''));
  report.confusion.forEach((row, i) => lines.push(report.classes[i].padEnd(width) + row.map((v) => String(v).padStart(width)).join('')));
  return lines.join('\n');
}
