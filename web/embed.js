// Lists the events the embedded <tanuki-classifier> fires, newest last.
const list = document.getElementById('events');
const classifier = document.querySelector('tanuki-classifier');

const describe = {
  progress: (d) => (d.phase === 'train' ? `epoch ${d.epoch}/${d.epochs}, loss ${d.logs.loss.toFixed(3)}` : `${d.phase} ${Math.round(100 * d.fraction)} %`),
  trained: (d) => `${d.classNames.join(', ')} after ${d.epochs} epochs`,
  prediction: (d) => `${d.name ?? 'image'}: ${d.predictions[0].className} ${(100 * d.predictions[0].probability).toFixed(1)} %`,
  error: (d) => d.message,
};

for (const [type, text] of Object.entries(describe)) {
  classifier.addEventListener(type, ({ detail }) => {
    // Progress repeats often: keep only the latest line of it.
    if (type === 'progress' && list.lastElementChild?.dataset.type === 'progress') list.lastElementChild.remove();
    const item = Object.assign(document.createElement('li'), { textContent: `${type}: ${text(detail)}` });
    item.dataset.type = type;
    list.append(item);
  });
}
