// ImageClassifier.train() chooses what the user leaves unset by
// cross-validation on the cached features, keeps what the user sets, balances
// unbalanced classes, and finds wrongly labelled images; the stratified
// helpers it shares keep every class in every fold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClassifierHead, featureMoments, stratifiedFolds, stratifiedSplit, balancedClassWeights } from '../../wasm/js/transfer/classifier_head.js';
import { smoothedBestEpoch } from '../../wasm/js/transfer/head_settings.js';
import { loadTanuki } from './helpers.mjs';
import { picture, smallClassifier } from './small_classifier.mjs';

const tk = await loadTanuki();
const classifier = (counts, options) => smallClassifier(tk, counts, options);

test('unset settings are chosen by 3-fold cross-validation; the choice is reported and used', async () => {
  const c = await classifier({ red: 12, blue: 12 });
  const history = await c.train({ seed: 2 });
  const s = history.settings;
  assert.deepEqual(s.chosen, ['epochs', 'learningRate']);
  assert.deepEqual([s.dropout, s.views], [0.5, 4], 'Dropout 0.5 and every view offered, unless given');
  assert.equal(s.crossValidation.folds, 3);
  // 24 images: augmented views are cheap, so all 4 are used; 3 learning rates, Dropout 0.5.
  assert.equal(s.crossValidation.candidates.length, 3);
  assert.ok(s.crossValidation.candidates.every((x) => x.views === 4 && x.dropout === 0.5));
  assert.deepEqual(s.crossValidation.candidates.map((x) => x.learningRate), [3e-4, 1e-3, 3e-3]);
  // The best cross-validated accuracy wins; among equals, the lowest loss.
  const candidates = s.crossValidation.candidates;
  const topAccuracy = Math.max(...candidates.map((x) => x.accuracy));
  const tied = candidates.filter((x) => Math.abs(x.accuracy - topAccuracy) <= 1e-9);
  assert.equal(s.crossValidation.accuracy, topAccuracy, 'the candidate with the best cross-validated accuracy wins');
  assert.equal(s.crossValidation.loss, Math.min(...tied.map((x) => x.loss)), 'the lowest loss breaks ties in accuracy');
  assert.ok(s.epochs >= 1 && s.epochs <= s.crossValidation.trialEpochs);
  assert.equal(history.epoch.length, s.epochs, 'the head trains for the chosen epoch count');
  assert.equal(c._head.dropoutRate, s.dropout, 'the head uses the chosen Dropout rate');
  assert.ok(s.crossValidation.accuracy > 0.9, `the two colours are easy: cross-validated accuracy ${s.crossValidation.accuracy}`);
  assert.deepEqual(c.trainingSettings, s);
  c.dispose();
});

test('settings the user gives win; autoTune: false takes the fixed defaults', async () => {
  const c = await classifier({ red: 9, blue: 9 });
  let history = await c.train({ epochs: 3, learningRate: 0.01, augment: false });
  assert.deepEqual(history.settings.chosen, []);
  assert.equal(history.settings.dropout, 0.5);
  assert.equal(history.epoch.length, 3);
  assert.equal(history.settings.learningRate, 0.01);
  assert.equal(history.settings.views, 1);
  assert.ok(history.settings.crossValidation.candidates.every((x) => x.learningRate === 0.01 && x.views === 1 && x.epochs === 3));
  history = await c.train({ autoTune: false });
  assert.deepEqual(history.settings.chosen, []);
  assert.equal(history.settings.crossValidation, undefined);
  assert.equal(history.epoch.length, 20);
  assert.deepEqual([history.settings.learningRate, history.settings.dropout, history.settings.views], [1e-3, 0.2, 1]);
  c.dispose();
});

test('many small batches: the trials run fewer epochs, within their step budget; the given epochs stay', async () => {
  const c = await classifier({ red: 12, blue: 12 });
  const history = await c.train({ epochs: 50, batchSize: 1 });
  const cv = history.settings.crossValidation;
  // 3 candidates x 3 folds, 16 training images per fold (64 rows with 4 views), one row a step.
  assert.equal(cv.trialEpochs, Math.floor(20000 / (3 * 64 * 3)));
  assert.ok(cv.candidates.every((x) => x.epochs === 50 && Number.isFinite(x.loss) && Number.isFinite(x.accuracy)));
  assert.equal(history.epoch.length, 50);
  assert.ok(c.possibleLabelMistakes().every((m) => m.label !== m.predicted));
  c.dispose();
});

test('too few images to cross-validate: the defaults, with the reason', async () => {
  const c = await classifier({ red: 4, blue: 4 });
  const history = await c.train();
  assert.deepEqual(history.settings.chosen, []);
  assert.match(history.settings.reason, /too few images to cross-validate \(a class has 4; 6 needed\)/);
  assert.equal(history.epoch.length, 20);
  c.dispose();
});

test('unbalanced classes get balanced class weights unless the user passes some', async () => {
  const c = await classifier({ red: 24, blue: 8 });
  let history = await c.train({ epochs: 2, learningRate: 1e-3, dropout: 0.2, augment: false });
  // 32 images: red 24 -> 32 / (2 * 24), blue 8 -> 32 / (2 * 8).
  assert.deepEqual(history.settings.classWeight, { 0: 32 / 48, 1: 2 });
  history = await c.train({ epochs: 2, learningRate: 1e-3, dropout: 0.2, augment: false, classWeight: { 0: 1, 1: 1 } });
  assert.deepEqual(history.settings.classWeight, { 0: 1, 1: 1 });
  c.dispose();
});

test('a wrongly labelled image is the first possible label mistake, judged by a head that did not see it', async () => {
  const c = await classifier({ red: 12, blue: 12 });
  const wrong = c.addExample(picture('blue', 99), 'red', { key: 'blue99-as-red' });
  await c.train({ validationSplit: 0.2, seed: 4 });
  const mistakes = c.possibleLabelMistakes();
  assert.ok(mistakes.length >= 1);
  assert.equal(mistakes[0].id, wrong);
  assert.equal(mistakes[0].key, 'blue99-as-red');
  assert.deepEqual([mistakes[0].label, mistakes[0].predicted], ['red', 'blue']);
  assert.ok(mistakes[0].labelProbability < 0.5 && mistakes[0].probability > 0.5);
  for (const m of mistakes) assert.notEqual(m.label, m.predicted);
  // Every held-out image has its verdict, consistent with the report's confusion matrix.
  const confusion = [[0, 0], [0, 0]];
  for (const v of c.validationPredictions) confusion[c.classNames.indexOf(v.label)][c.classNames.indexOf(v.predicted)]++;
  assert.deepEqual(confusion, c.validationReport.confusion);
  c.dispose();
});

test('stratified folds and splits keep each class in proportion; moments and balanced weights are exact', () => {
  const labels = [...Array(30).fill(0), ...Array(9).fill(1)];
  const group = stratifiedFolds(labels, 3, 7);
  for (let f = 0; f < 3; f++) {
    assert.equal(labels.filter((l, i) => l === 0 && group[i] === f).length, 10);
    assert.equal(labels.filter((l, i) => l === 1 && group[i] === f).length, 3);
  }
  assert.deepEqual(stratifiedFolds(labels, 3, 7), group, 'seeded');
  const items = labels.map((label, i) => ({ i, label }));
  const { train, validation } = stratifiedSplit(items, (x) => x.label, 0.2, 1);
  assert.equal(validation.filter((x) => x.label === 0).length, 6);
  assert.equal(validation.filter((x) => x.label === 1).length, 2);
  assert.equal(train.length + validation.length, items.length);
  assert.equal(new Set([...train, ...validation].map((x) => x.i)).size, items.length);
  const { mean, variance } = featureMoments([Float32Array.of(1, 2), Float32Array.of(3, 6)], 2);
  assert.deepEqual([...mean], [2, 4]);
  assert.deepEqual([...variance], [1, 4]);
  assert.equal(balancedClassWeights([0, 0, 0, 1, 1], 2), null, 'within 1.5x: no weights');
  assert.deepEqual(balancedClassWeights([0, 0, 0, 0, 0, 0, 1, 1], 2), { 0: 8 / 12, 1: 2 });
  const head = new ClassifierHead(tk, 4, 3, { dropout: 0.5 });
  assert.deepEqual(head.model.outputs[0].shape, [null, 3]);
  head.dispose();
});

test('the epoch count is judged on smoothed mean curves: a lucky early spike does not win', () => {
  // Two folds, 30 epochs: a spike at epoch 1, a plateau from epoch 12 on.
  const fold = (offset) => ({
    accuracy: Array.from({ length: 30 }, (_, e) => (e === 1 ? 0.95 : e >= 12 ? 0.9 + offset : 0.7)),
    loss: Array.from({ length: 30 }, (_, e) => 0.5 - e * 0.001),
  });
  const { best, score } = smoothedBestEpoch([fold(0), fold(0.02)]);
  assert.ok(best >= 12 && best <= 24, `judged at epoch ${best}`);
  assert.ok(Math.abs(score(best).accuracy - 0.91) < 1e-9, 'the plateau, averaged over the folds and the window');
  // Between equal smoothed accuracies the lower loss, here the later epoch, wins.
  assert.equal(best, 24, 'the last epoch whose window lies within the curves');
  // Short curves get a narrower window: 3 epochs, none.
  const short = smoothedBestEpoch([{ accuracy: [0.5, 0.9, 0.6], loss: [1, 0.5, 0.8] }]);
  assert.equal(short.best, 1);
});
