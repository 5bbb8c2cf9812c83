// Every example of the section "The trainable attribute" of Keras's guide
// "Transfer learning & fine-tuning", through Tanuki's JavaScript API.
// Run: npm run walkthrough (examples/keras_guide.mjs runs it as the first
// part of the whole guide).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import tanuki from 'tanuki';

const counts = (layer) =>
  `weights: ${layer.weights.length} trainable_weights: ${layer.trainableWeights.length} ` +
  `non_trainable_weights: ${layer.nonTrainableWeights.length}`;

/** The section, printed as it goes; throws when a frozen layer changed in fit(). */
export async function trainableSection(tk) {
  console.log('# Dense has 2 trainable weights (kernel & bias)');
  // layer = keras.layers.Dense(3)
  const dense = tk.layers.dense({ units: 3 });
  // layer.build((None, 4))  # Create the weights
  dense.build([null, 4]);
  console.log(counts(dense));

  console.log('\n# BatchNormalization has 2 trainable and 2 non-trainable weights');
  const bn = tk.layers.batchNormalization();
  bn.build([null, 4]);
  console.log(counts(bn));

  console.log('\n# Setting trainable to false freezes the layer');
  const frozen = tk.layers.dense({ units: 3 });
  frozen.build([null, 4]);
  // layer.trainable = False  # Freeze the layer
  frozen.trainable = false;
  console.log(counts(frozen));

  console.log('\n# A frozen layer keeps its weights during fit()');
  // layer1 = keras.layers.Dense(3, activation="relu")
  const layer1 = tk.layers.dense({ units: 3, activation: 'relu' });
  const layer2 = tk.layers.dense({ units: 3, activation: 'sigmoid' });
  // model = keras.Sequential([keras.Input(shape=(3,)), layer1, layer2])
  const model = tk.sequential({ layers: [tk.input({ shape: [3] }), layer1, layer2] });
  // layer1.trainable = False
  layer1.trainable = false;
  // initial_layer1_weights_values = layer1.get_weights()
  const initialLayer1 = layer1.getWeights().map((w) => w.dataSync());
  const initialLayer2 = layer2.getWeights().map((w) => w.dataSync());
  // model.compile(optimizer="adam", loss="mse")
  model.compile({ optimizer: 'adam', loss: 'mse' });
  // model.fit(np.random.random((2, 3)), np.random.random((2, 3)))
  await model.fit(tk.randomUniform([2, 3]), tk.randomUniform([2, 3]));
  // np.testing.assert_allclose(initial_layer1_weights_values[0], final_layer1_weights_values[0]), and [1]
  const same = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  const layer1Unchanged = layer1.getWeights().every((w, i) => same(w.dataSync(), initialLayer1[i]));
  const layer2Changed = layer2.getWeights().some((w, i) => !same(w.dataSync(), initialLayer2[i]));
  console.log(`layer1 weights unchanged: ${layer1Unchanged}`);
  console.log(`layer2 weights changed: ${layer2Changed}`);
  if (!layer1Unchanged || !layer2Changed) throw new Error('frozen-layer check failed');

  console.log('\n# trainable is recursive: freezing a model freezes every layer inside');
  // inner_model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(3, activation="relu")])
  const inner = tk.sequential({
    layers: [tk.input({ shape: [3] }), tk.layers.dense({ units: 3, activation: 'relu' }), tk.layers.dense({ units: 3, activation: 'relu' })],
  });
  // model = keras.Sequential([keras.Input(shape=(3,)), inner_model, keras.layers.Dense(3, activation="sigmoid")])
  const outer = tk.sequential({ layers: [tk.input({ shape: [3] }), inner, tk.layers.dense({ units: 3, activation: 'sigmoid' })] });
  // model.trainable = False  # Freeze the outer model
  outer.trainable = false;
  console.log(`outer trainable_weights: ${outer.trainableWeights.length}`);
  // assert inner_model.trainable == False  # All layers in `model` are now frozen
  console.log(`inner model trainable: ${inner.trainable}`);
  // assert inner_model.layers[0].trainable == False  # `trainable` is propagated recursively
  console.log(`inner first layer trainable: ${inner.layers[0].trainable}`);
  outer.trainable = true;
  console.log(`after unfreezing, outer trainable_weights: ${outer.trainableWeights.length}`);
}

// Run directly (not imported by keras_guide.mjs).
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tk = await tanuki.load();
  tk.setSeed(1);
  await trainableSection(tk);
}
