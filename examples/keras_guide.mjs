// Keras's guide "Transfer learning & fine-tuning" (keras.io/guides/transfer_learning),
// ported statement by statement: each Keras line is the comment above its
// Tanuki equivalent. First the section on the trainable attribute
// (trainable_walkthrough.mjs), then the end-to-end example: cats vs dogs
// photos, augmentation and rescaling inside the model, a frozen pretrained
// base called with training: false, two epochs of the new head, then the
// whole model fine-tuned at Adam(1e-5) for one epoch, and evaluated on photos
// it never saw; last, the guide's custom training loop on the same photos.
// The guide's generic snippets of the typical workflow and of fine-tuning
// (base_model(inputs, training=False), compile, fit, base_model.trainable = True,
// recompile at a low learning rate) are the end-to-end example's statements.
//
// Run: node examples/keras_guide.mjs [DATA_DIR] [--limit N] [--backbone ID] [--size S]
//        [--batch-size B] [--save DIR]
//   DATA_DIR  train/<class>/*.jpg and val/<class>/*.jpg (default: the cats vs dogs
//             photos at ../shared/data/cats_vs_dogs next to the project folder)
//   --limit   at most N training images (and N/4 validation and test images)
//   --backbone a catalog id (tk.backboneCatalog): the guide's Xception is not in
//             the catalog; the default mobilenet_v2_0.35 is the ImageNet MobileNetV2
//             of keras.applications, downloaded once and cached. 'bundled' is the
//             MobileNetV2 1.0 shipped with Tanuki (trained on other pictures than
//             ImageNet), for offline runs.
//   --size    input size (default 160, one of the sizes the MobileNets were trained
//             at; the guide's Xception takes 150)
//   --save    a folder to save the trained model in (TF.js layers format)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import tanuki from 'tanuki';
import { trainableSection } from './trainable_walkthrough.mjs';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    limit: { type: 'string' },
    backbone: { type: 'string', default: 'mobilenet_v2_0.35' },
    size: { type: 'string', default: '160' },
    'batch-size': { type: 'string', default: '64' },
    save: { type: 'string' },
  },
});
const data = positionals[0] ?? fileURLToPath(new URL('../../shared/data/cats_vs_dogs', import.meta.url));
const limit = flags.limit === undefined ? Infinity : Number(flags.limit);
const size = Number(flags.size);
// batch_size = 64
const batchSize = Number(flags['batch-size']);

const tk = await tanuki.load();
tk.setSeed(1337);

console.log('## Freezing layers: understanding the trainable attribute\n');
await trainableSection(tk);

if (!existsSync(join(data, 'train')) || !existsSync(join(data, 'val'))) {
  console.log(`\nskipped the cats vs dogs part: no photos at ${data} (pass a folder with train/<class>/ and val/<class>/)`);
  process.exit(0);
}

// ---------------------------------------------------------------------------
console.log('\n## An end-to-end example: fine-tuning an image classification model on a cats vs. dogs dataset\n');

// train_ds, validation_ds, test_ds = tfds.load("cats_vs_dogs", split=["train[:40%]", "train[40%:50%]", "train[50%:60%]"], as_supervised=True)
// The photos are a folder here: keras.utils.image_dataset_from_directory splits
// train/ into training and validation, val/ is the test set. Its image_size
// resizes them, as the guide's keras.layers.Resizing(150, 150) does:
// resize_fn = keras.layers.Resizing(150, 150)
// train_ds = train_ds.map(lambda x, y: (resize_fn(x), y))
const options = { imageSize: [size, size], batchSize, labelMode: 'binary', seed: 1337 };
let [trainDs, validationDs] = await tk.data.imageDatasetFromDirectory(join(data, 'train'), { ...options, validationSplit: 0.2, subset: 'both' });
let testDs = await tk.data.imageDatasetFromDirectory(join(data, 'val'), options);
if (limit < Infinity) {
  // train_ds.take(n): the first n images of the shuffled split, both classes mixed.
  const take = (dataset, n) => {
    const part = dataset.take(Math.min(n, dataset.count));
    dataset.dispose();
    return part;
  };
  trainDs = take(trainDs, limit);
  validationDs = take(validationDs, Math.ceil(limit / 4));
  testDs = take(testDs, Math.ceil(limit / 4));
}
// print(f"Number of training samples: {train_ds.cardinality()}")
console.log(`Number of training samples: ${trainDs.count}`);
console.log(`Number of validation samples: ${validationDs.count}`);
console.log(`Number of test samples: ${testDs.count}`);
console.log(`classes: ${trainDs.classNames.join(', ')} (labels 0, 1)`);

// for i, (image, label) in enumerate(train_ds.take(9)): ... plt.title(int(label))
// (the guide plots them; here their labels and the size they were resized to)
const firstNine = trainDs.take(9);
const labels = [];
let imageShape;
for await (const { x, y } of firstNine) {
  labels.push(...y.dataSync());
  imageShape = x.shape.slice(1);
  x.dispose();
  y.dispose();
}
firstNine.dispose();
console.log(`first 9 images: [${imageShape}] each, labels ${labels.join(' ')}`);

// Random data augmentation, inside the model (the guide's earlier edition; its
// current one maps the same layers over the dataset):
// data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])
const dataAugmentation = tk.sequential({ layers: [tk.layers.randomFlip({ mode: 'horizontal' }), tk.layers.randomRotation({ factor: 0.1 })] });

// for images, labels in train_ds.take(1):
//     first_image = images[0]
//     for i in range(9):
//         augmented_image = data_augmentation(np.expand_dims(first_image, 0), training=True)
// (the guide plots them; here how far each is from the original, in mean |difference| of pixel values)
const oneImage = trainDs.take(1);
for await (const { x: firstImage, y } of oneImage) {
  const original = firstImage.dataSync();
  const distances = [];
  for (let i = 0; i < 9; i++) {
    const augmentedImage = dataAugmentation.apply(firstImage, { training: true });
    const values = augmentedImage.dataSync();
    distances.push(values.reduce((sum, v, k) => sum + Math.abs(v - original[k]), 0) / values.length);
    augmentedImage.dispose();
  }
  console.log(`9 augmented views of the first image differ from it by ${distances.map((d) => d.toFixed(1)).join(', ')}`);
  firstImage.dispose();
  y.dispose();
}
oneImage.dispose();

// train_ds = train_ds.batch(batch_size).prefetch(tf_data.AUTOTUNE).cache()
// (the batch size was given when loading; files are read 2 batches ahead; cache()
// keeps the decoded images in memory when they fit in 256 MB)
for (const dataset of [trainDs, validationDs, testDs]) {
  dataset.prefetch(2);
  if (!dataset.inMemory && dataset.decodedBytes <= 256 * 2 ** 20) await dataset.cache();
}

// base_model = keras.applications.Xception(weights="imagenet", input_shape=(150, 150, 3), include_top=False)
const entry = tk.backboneCatalog.find((e) => e.id === flags.backbone);
if (!entry) throw new Error(`--backbone ${flags.backbone}: not in the catalog (${tk.backboneCatalog.map((e) => e.id).join(', ')})`);
const application = entry.id === 'bundled' ? { family: 'mobileNetV2', alpha: 1.0, weights: 'bundled' } : { family: entry.family, alpha: entry.alpha, weights: 'imagenet' };
const baseModel = await tk.applications[application.family]({ alpha: application.alpha, weights: application.weights, inputShape: [size, size, 3], includeTop: false });
console.log(`\nbase model: ${entry.name} at ${size}x${size}, output [${baseModel.outputs[0].shape}] (${entry.id === 'bundled' ? 'bundled with Tanuki' : entry.url})`);
// base_model.trainable = False  # Freeze the base_model
baseModel.trainable = false;

// Create new model on top
// inputs = keras.Input(shape=(150, 150, 3))
const inputs = tk.input({ shape: [size, size, 3] });
// x = data_augmentation(inputs)  # Apply random data augmentation
let x = dataAugmentation.apply(inputs);
// Pre-trained Xception weights requires that input be scaled from (0, 255) to a range of (-1., +1.)
// (so do the ImageNet MobileNets; the bundled one takes x / 255)
// scale_layer = keras.layers.Rescaling(scale=1 / 127.5, offset=-1)
const scaleLayer = tk.layers.rescaling({ scale: entry.scale, offset: entry.offset });
// x = scale_layer(x)
x = scaleLayer.apply(x);
// The base model contains batchnorm layers. We want to keep them in inference mode
// when we unfreeze the base model for fine-tuning, so we make sure that the
// base_model is running in inference mode here.
// x = base_model(x, training=False)
x = baseModel.apply(x, { training: false });
// x = keras.layers.GlobalAveragePooling2D()(x)
x = tk.layers.globalAveragePooling2d().apply(x);
// x = keras.layers.Dropout(0.2)(x)  # Regularize with dropout
x = tk.layers.dropout({ rate: 0.2 }).apply(x);
// outputs = keras.layers.Dense(1)(x)
const outputs = tk.layers.dense({ units: 1 }).apply(x);
// model = keras.Model(inputs, outputs)
const model = tk.model({ inputs, outputs });

// model.summary(show_trainable=True)
model.summary({ showTrainable: true });
console.log(`model trainable_weights: ${model.trainableWeights.length} (base frozen)`);

// model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=[keras.metrics.BinaryAccuracy()])
model.compile({
  optimizer: tk.optimizers.adam(),
  loss: tk.losses.binaryCrossentropy({ fromLogits: true }),
  metrics: [tk.metrics.binaryAccuracy()],
});

// epochs = 2
let epochs = 2;
// print("Fitting the top layer of the model")
console.log('Fitting the top layer of the model');
// model.fit(train_ds, epochs=epochs, validation_data=validation_ds)
await model.fit(trainDs, { epochs, validationData: validationDs, verbose: 1 });

// Do a round of fine-tuning of the entire model: unfreeze the base model. It
// keeps running in inference mode since we passed training=False when calling
// it, so its batchnorm layers do not update their batch statistics.
// base_model.trainable = True
baseModel.trainable = true;
// model.summary(show_trainable=True)
model.summary({ showTrainable: true });
console.log(`model trainable_weights: ${model.trainableWeights.length} (base unfrozen; the base has ${baseModel.trainableWeights.length})`);

// It's important to recompile your model after you make any changes to the
// `trainable` attribute of any inner layer, so that your changes are taken into account.
// model.compile(optimizer=keras.optimizers.Adam(1e-5), loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=[keras.metrics.BinaryAccuracy()])
model.compile({
  optimizer: tk.optimizers.adam({ learningRate: 1e-5 }),  // Low learning rate
  loss: tk.losses.binaryCrossentropy({ fromLogits: true }),
  metrics: [tk.metrics.binaryAccuracy()],
});

// epochs = 1
epochs = 1;
// print("Fitting the end-to-end model")
console.log('Fitting the end-to-end model');
// model.fit(train_ds, epochs=epochs, validation_data=validation_ds)
await model.fit(trainDs, { epochs, validationData: validationDs, verbose: 1 });

// print("Test dataset evaluation")
console.log('Test dataset evaluation');
// model.evaluate(test_ds)
const results = await model.evaluate(testDs);
console.log(Object.entries(results).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - '));

// Beyond the guide: the trained model predicts (logits; > 0 is class 1), and
// saved in the TF.js layers format, it loads and predicts the same.
const logits = await model.predict(testDs);
const logitValues = logits.dataSync();
const predicted = Array.from(logitValues, (v) => (v > 0 ? 1 : 0));
const correct = predicted.filter((p, i) => p === testDs.labels[i]).length;
console.log(`test accuracy from predict(): ${((100 * correct) / predicted.length).toFixed(1)} % of ${predicted.length}`);
if (flags.save) {
  await model.save(flags.save);
  const loaded = await tk.loadLayersModel(flags.save);
  const again = await loaded.predict(testDs);
  const largest = again.dataSync().reduce((m, v, i) => Math.max(m, Math.abs(v - logitValues[i])), 0);
  console.log(`saved to ${flags.save}; the loaded model predicts the same: ${largest < 1e-4} (largest difference ${largest.toExponential(1)})`);
  again.dispose();
  loaded.dispose();
}
logits.dispose();

// ---------------------------------------------------------------------------
// The guide shows this section before the end-to-end example, on a dataset of
// its reader's; here it runs one epoch over the training photos loaded above.
console.log('\n## Transfer learning & fine-tuning with a custom training loop\n');
{
  // Create base model
  // base_model = keras.applications.Xception(weights="imagenet", input_shape=(150, 150, 3), include_top=False)
  // (loaded from the download cache this time)
  const baseModel = await tk.applications[application.family]({ alpha: application.alpha, weights: application.weights, inputShape: [size, size, 3], includeTop: false });
  // Freeze base model
  // base_model.trainable = False
  baseModel.trainable = false;
  // Create new model on top.
  // inputs = keras.Input(shape=(150, 150, 3))
  const inputs = tk.input({ shape: [size, size, 3] });
  // (the guide's dataset is already scaled; these photos are not)
  const scaled = tk.layers.rescaling({ scale: entry.scale, offset: entry.offset }).apply(inputs);
  // x = base_model(inputs, training=False)
  let x = baseModel.apply(scaled, { training: false });
  // x = keras.layers.GlobalAveragePooling2D()(x)
  x = tk.layers.globalAveragePooling2d().apply(x);
  // outputs = keras.layers.Dense(1)(x)
  const outputs = tk.layers.dense({ units: 1 }).apply(x);
  // model = keras.Model(inputs, outputs)
  const model = tk.model({ inputs, outputs });
  // loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
  const lossFn = tk.losses.binaryCrossentropy({ fromLogits: true });
  // optimizer = keras.optimizers.Adam()
  const optimizer = tk.optimizers.adam();
  // Iterate over the batches of a dataset.
  // for inputs, targets in new_dataset:
  let step = 0;
  for await (const { x: batchInputs, y: targets } of trainDs) {
    // Open a GradientTape, forward pass, compute the loss value for this batch,
    // get gradients of loss wrt the *trainable* weights:
    //     with tf.GradientTape() as tape:
    //         predictions = model(inputs)
    //         loss_value = loss_fn(targets, predictions)
    //     gradients = tape.gradient(loss_value, model.trainable_weights)
    const { loss: lossValue, grads } = model.computeGradients(batchInputs, targets, { loss: lossFn });
    // Update the weights of the model.
    // optimizer.apply_gradients(zip(gradients, model.trainable_weights))
    optimizer.applyGradients(grads);
    console.log(`custom loop batch ${++step}: loss ${lossValue.toFixed(4)}, gradients of ${grads.length} trainable weights`);
    for (const { variable, gradient } of grads) {
      variable.dispose();
      gradient.dispose();
    }
    batchInputs.dispose();
    targets.dispose();
  }
  model.dispose();
  baseModel.dispose();
}

for (const dataset of [trainDs, validationDs, testDs]) dataset.dispose();
