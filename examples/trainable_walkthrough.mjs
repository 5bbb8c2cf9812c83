// Every example of the section "The trainable attribute" of Keras's guide
// "Transfer learning & fine-tuning", through Tanuki's JavaScript API.
// Run: npm run walkthrough
import tanuki from 'tanuki';

const tk = await tanuki.load();
tk.setSeed(1);

const counts = (layer) =>
  `weights: ${layer.weights.length} trainable_weights: ${layer.trainableWeights.length} ` +
  `non_trainable_weights: ${layer.nonTrainableWeights.length}`;

console.log('# Dense has 2 trainable weights (kernel & bias)');
const dense = tk.layers.dense({ units: 3 });
dense.build([null, 4]);
console.log(counts(dense));

console.log('\n# BatchNormalization has 2 trainable and 2 non-trainable weights');
const bn = tk.layers.batchNormalization();
bn.build([null, 4]);
console.log(counts(bn));

console.log('\n# Setting trainable to false freezes the layer');
const frozen = tk.layers.dense({ units: 3 });
frozen.build([null, 4]);
frozen.trainable = false;
console.log(counts(frozen));

console.log('\n# A frozen layer keeps its weights during fit()');
const layer1 = tk.layers.dense({ units: 3, activation: 'relu' });
const layer2 = tk.layers.dense({ units: 3, activation: 'sigmoid' });
const model = tk.sequential({ layers: [tk.layers.inputLayer({ inputShape: [3] }), layer1, layer2] });
layer1.trainable = false;
const initialLayer1 = layer1.getWeights().map((w) => w.dataSync());
const initialLayer2 = layer2.getWeights().map((w) => w.dataSync());
model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
await model.fit(tk.randomNormal([2, 3]), tk.randomNormal([2, 3]));
const same = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
const layer1Unchanged = layer1.getWeights().every((w, i) => same(w.dataSync(), initialLayer1[i]));
const layer2Changed = layer2.getWeights().some((w, i) => !same(w.dataSync(), initialLayer2[i]));
console.log(`layer1 weights unchanged: ${layer1Unchanged}`);
console.log(`layer2 weights changed: ${layer2Changed}`);
if (!layer1Unchanged || !layer2Changed) throw new Error('frozen-layer check failed');

console.log('\n# trainable is recursive: freezing a model freezes every layer inside');
const inner = tk.sequential({
  layers: [tk.layers.dense({ units: 3, activation: 'relu', inputShape: [3] }), tk.layers.dense({ units: 3, activation: 'relu' })],
});
const input = tk.input({ shape: [3] });
let x = inner.apply(input);
x = tk.layers.dense({ units: 3, activation: 'sigmoid' }).apply(x);
const outer = tk.model({ inputs: input, outputs: x });
outer.trainable = false;
console.log(`outer trainable_weights: ${outer.trainableWeights.length}`);
console.log(`inner model trainable: ${inner.trainable}`);
console.log(`inner first layer trainable: ${inner.layers[0].trainable}`);
outer.trainable = true;
console.log(`after unfreezing, outer trainable_weights: ${outer.trainableWeights.length}`);
