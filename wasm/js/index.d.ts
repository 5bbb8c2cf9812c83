// Types for Tanuki's JavaScript API. Names follow TensorFlow.js; semantics
// follow Keras (see README.md).

export type Shape = number[];
export type ShapeWithBatch = (number | null)[];
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array;
export type TensorLike = number | number[] | number[][] | number[][][] | number[][][][] | TypedArray;

export class TanukiError extends Error {}
/** A wrong argument, shape or option. */
export class ValueError extends TanukiError {}
/** A call in the wrong order (fit before compile) or on a disposed object. */
export class StateError extends TanukiError {}
/** An unreadable or inconsistent file (model.json, weights, image). */
export class FormatError extends TanukiError {}
/** The WebAssembly heap could not grow; the instance keeps working. */
export class OutOfMemoryError extends TanukiError {}
/** Training stopped: the loss or the weights would have become NaN/infinite. */
export class TrainingDivergedError extends TanukiError {
  history?: History;
}

/** Objects that own memory in the WebAssembly heap. */
export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
}

export interface Tensor extends Disposable {
  readonly shape: Shape;
  readonly rank: number;
  readonly size: number;
  readonly dtype: 'float32';
  dataSync(): Float32Array;
  data(): Promise<Float32Array>;
  arraySync(): any;
  array(): Promise<any>;
  reshape(shape: Shape): Tensor;
  clone(): Tensor;
  gather(indices: ArrayLike<number>): Tensor;
}

export interface Variable extends Disposable {
  readonly name: string;
  readonly shape: Shape;
  /** False for weights never trained (moving statistics) or of a frozen layer. */
  readonly trainable: boolean;
  read(): Tensor;
  assign(value: Tensor): void;
}

export interface SymbolicTensor extends Disposable {
  readonly shape: ShapeWithBatch;
}

export interface ApplyArgs {
  /** Training behaviour (BatchNormalization batch statistics, Dropout, augmentation). */
  training?: boolean;
}

export interface Layer extends Disposable {
  readonly name: string;
  getClassName(): string;
  /** Setting false freezes the layer (for a model: every layer inside, recursively). */
  trainable: boolean;
  readonly built: boolean;
  readonly weights: Variable[];
  readonly trainableWeights: Variable[];
  readonly nonTrainableWeights: Variable[];
  countParams(): number;
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  build(inputShape: ShapeWithBatch | ShapeWithBatch[]): void;
  computeOutputShape(inputShape: ShapeWithBatch | ShapeWithBatch[]): ShapeWithBatch;
  apply(inputs: Tensor | Tensor[], args?: ApplyArgs): Tensor;
  apply(inputs: SymbolicTensor | SymbolicTensor[], args?: ApplyArgs): SymbolicTensor;
  getConfig(): Record<string, unknown>;
}

export type LossName =
  | 'meanSquaredError' | 'mse' | 'binaryCrossentropy' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy';
export type LossSpec = LossName | { name: LossName; fromLogits?: boolean; labelSmoothing?: number } | Loss;
export type MetricName = 'accuracy' | 'acc' | 'binaryAccuracy' | 'categoricalAccuracy' | 'sparseCategoricalAccuracy';

/** A metric object (keras.metrics.BinaryAccuracy()): compile() takes it like its name. */
export interface Metric {
  readonly name: MetricName;
}

/** One backbone of the catalog (tk.backboneCatalog). */
export interface CatalogEntry {
  readonly id: string;
  readonly name: string;
  readonly family: 'bundled' | 'mobileNetV2' | 'mobileNet';
  readonly alpha?: number;
  /** model.json on its public host (absent for the bundled one). */
  readonly url?: string;
  readonly host: string;
  readonly includesTop: boolean;
  readonly cutLayer?: string;
  /** Bytes of weights downloaded the first time (then cached). */
  readonly downloadBytes: number;
  readonly inputSize: [number, number];
  readonly scale?: number;
  readonly offset?: number;
}

export interface ApplicationOptions {
  alpha?: number;
  includeTop?: boolean;
  /** [h, w, 3]: the network rebuilt at this size with the same weights (includeTop: false). */
  inputShape?: [number, number, number];
  pooling?: 'avg' | 'max';
  /** 'bundled' (MobileNetV2 1.0 only): the network shipped with Tanuki, trained on other pictures than ImageNet; no download. */
  weights?: 'imagenet' | 'bundled';
  name?: string;
  onProgress?: (fraction: number) => void;
}

export interface Loss extends Disposable {
  readonly name: string;
  compute(yTrue: Tensor, yPred: Tensor): number;
}

export interface Optimizer extends Disposable {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  readonly iterations: number;
  readonly learningRate: number;
  applyGradients(grads: GradientPair[] | [Variable, Tensor][]): void;
}

export interface GradientPair {
  variable: Variable;
  gradient: Tensor;
}

export type Logs = Record<string, number>;

export interface Callback {
  setModel?(model: LayersModel): void;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

export class History implements Callback {
  epoch: number[];
  history: Record<string, number[]>;
  /** samples, steps and batchSize are null for a dataset that does not know them (an async iterable of batches). */
  params: { epochs: number; initialEpoch: number; samples: number | null; steps: number | null; batchSize: number | null; cachedBoundary: string | null };
  /** Set when fit() stopped because its AbortSignal fired. */
  aborted?: boolean;
}

export class EarlyStopping implements Callback {
  constructor(args?: { monitor?: string; minDelta?: number; patience?: number; mode?: 'auto' | 'min' | 'max'; baseline?: number; restoreBestWeights?: boolean });
  stoppedEpoch: number | null;
}

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  validationData?: [Tensor, Tensor];
  validationSplit?: number;
  initialEpoch?: number;
  /** Weight per class index, for imbalanced data. */
  classWeight?: Record<number, number>;
  callbacks?: Callback | Callback[];
  /** Stops after the current batch; fit() resolves with history.aborted = true. */
  signal?: AbortSignal;
  verbose?: 0 | 1;
  seed?: number;
  /** Compute the frozen, non-random bottom of the model once per sample (default true). */
  cacheFrozenPrefix?: boolean;
}

/** A dataset fit() and friends take: a tk.data ImageDataset, or any async iterable of {x, y} (or {xs, ys}) batches. */
export type Dataset = ImageDataset | AsyncIterable<{ x: Tensor; y: Tensor | null } | { xs: Tensor; ys: Tensor }>;

/** fit(dataset, args): the dataset sets batch size, order and shuffling (no batchSize, shuffle, seed, validationSplit). */
export interface FitDatasetArgs extends Omit<FitArgs, 'batchSize' | 'shuffle' | 'seed' | 'validationSplit' | 'validationData'> {
  validationData?: Dataset | [Tensor, Tensor];
  /**
   * Bytes of cached bottom activations kept in memory (default 256 MB); the
   * rest go to a temporary file in Node (browsers keep them all in memory).
   */
  featureMemoryBytes?: number;
}

export interface ModelArtifacts {
  modelJson: Record<string, any>;
  weightData: Uint8Array;
}

export interface LayersModel extends Layer {
  readonly layers: Layer[];
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  optimizer: Optimizer | null;
  loss: Loss | null;
  stopTraining: boolean;
  readonly isCompiled: boolean;
  /** model.json's userDefinedMetadata, when loaded from a file that has it. */
  userDefinedMetadata?: any;
  getLayer(name: string): Layer;
  /** The output of a named layer inside this model, for cutting backbones. */
  layerOutput(name: string): SymbolicTensor;
  /** [bottom, top] sharing this model's layers, split at a layer's output. */
  splitAt(layerName: string): [LayersModel, LayersModel];
  /** Why splitAt(layerName) would fail (a skip connection across the cut), or '' when it would not. */
  splitObstacle(layerName: string): string;
  summary(lineLength?: number, positions?: number[], printFn?: (text: string) => void): string;
  /** Keras's summary(show_trainable=True): showTrainable adds a Trainable column (Y / N). */
  summary(options: { lineLength?: number; showTrainable?: boolean; printFn?: (text: string) => void }): string;
  compile(args: { optimizer: string | Optimizer; loss: LossSpec; metrics?: (MetricName | Metric)[] }): void;
  fit(x: Tensor, y: Tensor, args?: FitArgs): Promise<History>;
  /** Keras's fit(train_ds, validation_data=val_ds). */
  fit(dataset: Dataset, args?: FitDatasetArgs): Promise<History>;
  /** TF.js's name for fit(dataset, args). */
  fitDataset(dataset: Dataset, args?: FitDatasetArgs): Promise<History>;
  evaluate(x: Tensor, y: Tensor, args?: { batchSize?: number; report?: boolean; classNames?: string[] }): Promise<Logs>;
  evaluate(dataset: Dataset, args?: { report?: boolean; classNames?: string[] }): Promise<Logs>;
  predict(x: Tensor, args?: { batchSize?: number }): Tensor;
  /** Every output over the dataset in its order, as one tensor [count, ...] (memory: count x outputs). */
  predict(dataset: Dataset): Promise<Tensor>;
  trainOnBatch(x: Tensor, y: Tensor, sampleWeight?: Tensor): number;
  computeGradients(x: Tensor, y: Tensor, args?: { loss?: LossSpec; training?: boolean }): { loss: number; grads: GradientPair[] };
  save(destination: string | ((artifacts: ModelArtifacts) => any), options?: { metadata?: any; extraFiles?: Record<string, string | Uint8Array> }): Promise<any>;
  /** A destination ending in .onnx (path, file:// URL, 'downloads://name.onnx') writes an ONNX file. */
  save(destination: string | URL, options?: OnnxExportOptions): Promise<SavedOnnxModel>;
  toArtifacts(options?: { metadata?: any }): ModelArtifacts;
  /** The model as an ONNX file, for ONNX Runtime and other ONNX runtimes. */
  toOnnx(options?: OnnxExportOptions): Uint8Array;
  /** toOnnx()'s bytes with the layers left out because they are the identity in inference. */
  toOnnxArtifacts(options?: OnnxExportOptions): { onnx: Uint8Array; droppedLayers: string[] };
}

export interface OnnxExportOptions {
  /** Default-domain opset, 11 to 21 (default 13). */
  opset?: number;
  /** 'nhwc' (default): image inputs and outputs [batch, h, w, c] as in Tanuki; 'nchw': [batch, c, h, w]. */
  inputLayout?: 'nhwc' | 'nchw';
}

export interface SavedOnnxModel {
  /** The file written (Node). */
  path?: string;
  bytes: number;
  /** "Class 'name': left out ..." for each Dropout or random augmentation layer. */
  droppedLayers: string[];
}

export interface Sequential extends LayersModel {
  /** A layer, or (first only) tk.input({shape}) to declare the input, as keras.Sequential([keras.Input(...), ...]). */
  add(layer: Layer | SymbolicTensor): void;
  pop(): void;
}

type LayerArgs = { name?: string; trainable?: boolean; inputShape?: Shape; batchInputShape?: ShapeWithBatch; [option: string]: unknown };
type Activation = 'linear' | 'relu' | 'relu6' | 'elu' | 'selu' | 'sigmoid' | 'hardSigmoid' | 'hard_sigmoid' | 'tanh' | 'softmax' | 'softplus' | 'softsign' | 'swish' | 'gelu';
type Padding = 'same' | 'valid';
type Size2 = number | [number, number];

export interface LayerFactories {
  dense(args: LayerArgs & { units: number; activation?: Activation; useBias?: boolean; kernelInitializer?: string; biasInitializer?: string }): Layer;
  activation(args: LayerArgs & { activation: Activation }): Layer;
  batchNormalization(args?: LayerArgs & { momentum?: number; epsilon?: number; center?: boolean; scale?: boolean; axis?: number }): Layer;
  layerNormalization(args?: LayerArgs & { axis?: number | number[]; epsilon?: number; center?: boolean; scale?: boolean; betaInitializer?: string; gammaInitializer?: string }): Layer;
  inputLayer(args: LayerArgs & { inputShape?: Shape; batchInputShape?: ShapeWithBatch }): Layer;
  conv2d(args: LayerArgs & { filters: number; kernelSize: Size2; strides?: Size2; padding?: Padding; activation?: Activation; useBias?: boolean }): Layer;
  depthwiseConv2d(args: LayerArgs & { kernelSize: Size2; strides?: Size2; padding?: Padding; depthMultiplier?: number; activation?: Activation; useBias?: boolean }): Layer;
  separableConv2d(args: LayerArgs & { filters: number; kernelSize: Size2; strides?: Size2; padding?: Padding; depthMultiplier?: number; activation?: Activation; useBias?: boolean }): Layer;
  zeroPadding2d(args?: LayerArgs & { padding?: number | [number, number] | [[number, number], [number, number]] }): Layer;
  maxPooling2d(args?: LayerArgs & { poolSize?: Size2; strides?: Size2; padding?: Padding }): Layer;
  averagePooling2d(args?: LayerArgs & { poolSize?: Size2; strides?: Size2; padding?: Padding }): Layer;
  globalAveragePooling2d(args?: LayerArgs & { keepdims?: boolean }): Layer;
  globalMaxPooling2d(args?: LayerArgs & { keepdims?: boolean }): Layer;
  add(args?: LayerArgs): Layer;
  multiply(args?: LayerArgs): Layer;
  concatenate(args?: LayerArgs & { axis?: number }): Layer;
  flatten(args?: LayerArgs): Layer;
  reshape(args: LayerArgs & { targetShape: number[] }): Layer;
  dropout(args: LayerArgs & { rate: number }): Layer;
  rescaling(args: LayerArgs & { scale: number; offset?: number }): Layer;
  softmax(args?: LayerArgs & { axis?: number }): Layer;
  reLU(args?: LayerArgs & { maxValue?: number; negativeSlope?: number; threshold?: number }): Layer;
  randomFlip(args?: LayerArgs & { mode?: 'horizontal' | 'vertical' | 'horizontal_and_vertical'; seed?: number }): Layer;
  randomRotation(args: LayerArgs & { factor: number; fillMode?: string; seed?: number }): Layer;
  randomZoom(args: LayerArgs & { heightFactor: number; widthFactor?: number; seed?: number }): Layer;
  randomTranslation(args: LayerArgs & { heightFactor: number; widthFactor: number; seed?: number }): Layer;
  randomContrast(args: LayerArgs & { factor: number; seed?: number }): Layer;
  [factory: string]: (args?: any) => Layer;
}

export type LearningRate = number | { class_name: 'ExponentialDecay' | 'CosineDecay'; config: Record<string, unknown> };

export type ImageSource =
  | Uint8Array | ArrayBuffer | string
  | ImageData | ImageBitmap | HTMLImageElement | HTMLCanvasElement | HTMLVideoElement | OffscreenCanvas | Blob;

export interface DecodeOptions {
  /** [height, width] to resize to. */
  size?: [number, number];
  /** 'center' crops to the target aspect ratio first; 'none' squashes. */
  crop?: 'center' | 'none';
  /** Pixel values become x * scale + offset. */
  scale?: number;
  offset?: number;
}

export interface ImageDatasetOptions {
  /** [height, width] (default [256, 256]). */
  imageSize?: [number, number];
  batchSize?: number;
  /** With subset: the last fraction of the shuffled files is the validation subset. */
  validationSplit?: number;
  subset?: 'training' | 'validation' | 'both';
  /** Needed with a shuffled validationSplit, so that the subsets never overlap. */
  seed?: number;
  shuffle?: boolean;
  labelMode?: 'int' | 'categorical' | 'binary' | null;
  classNames?: string[];
  crop?: 'center' | 'none';
  scale?: number;
  offset?: number;
  /** Skip files that cannot be decoded (listed in `skipped`) instead of failing; in a streamed dataset, when they are met. */
  skipInvalid?: boolean;
  /** Decoding of an in-memory dataset at load, per image. */
  onProgress?: (progress: { subset: string; done: number; total: number; file: string; skipped: number }) => void;
  /**
   * A subset whose decoded images take at most this many bytes (default
   * 256 MB) is decoded at load and held in memory (x, y); a larger one
   * streams, decoded per batch. 0 always streams.
   */
  maxInMemoryBytes?: number;
}

export interface ImageDataset extends Pick<Disposable, 'dispose'> {
  readonly classNames: string[];
  readonly files: string[];
  readonly labels: number[];
  /** Images, less the skipped ones (a streamed dataset drops an unreadable file when it meets it). */
  readonly count: number;
  /** True when x and y are in memory; false when the images stream from their files. */
  readonly inMemory: boolean;
  /** What x takes (or would take) in memory, in bytes. */
  readonly decodedBytes: number;
  /** Every image, [count, h, w, 3], for an in-memory dataset (a StateError for a streamed one: see toTensors()). */
  readonly x: Tensor;
  /** Labels as labelMode says; null for labelMode null. */
  readonly y: Tensor | null;
  readonly skipped: { file: string; error: string }[];
  readonly batchSize: number;
  readonly imageSize: [number, number];
  /** {x, y} of batchSize images each, in order, from an in-memory dataset; dispose them when done. */
  batches(): Generator<{ x: Tensor; y: Tensor | null }>;
  /** One epoch of {x, y} batches, decoded as they come, reshuffled per epoch when the dataset shuffles; dispose them when done. */
  [Symbol.asyncIterator](): AsyncIterator<{ x: Tensor; y: Tensor | null }>;
  /** How many batches ahead files are read while one is used (default 2); returns this dataset. */
  prefetch(depth: number): ImageDataset;
  /** The first n images, or all but them, as datasets of their own. */
  take(n: number): ImageDataset;
  skip(n: number): ImageDataset;
  /** Decodes every image into memory now (refused over maxBytes, default 1 GiB); returns this dataset. */
  cache(options?: { maxBytes?: number }): Promise<ImageDataset>;
  /** Every image decoded, held by the dataset from then on (memory: decodedBytes). */
  toTensors(): Promise<{ x: Tensor; y: Tensor | null }>;
}

export interface Backbone {
  model: LayersModel;
  full: LayersModel;
  name: string;
  source: string;
  inputSize: [number, number];
  scale: number;
  offset: number;
  cutLayer: string | string[];
  /** The window each cut activation is max-pooled over (stride 1) before its global average; 1 = none. */
  localMaxPool: number;
  featureShape: number[];
}

export interface ClassificationReport {
  accuracy: number;
  loss: number;
  count: number;
  classes: string[];
  confusion: number[][];
  perClass: { className: string; precision: number; recall: number; support: number }[];
}

export interface Prediction {
  className: string;
  probability: number;
}

export interface TrainProgress {
  phase: 'features' | 'boundary' | 'train' | 'fine-tune';
  epoch?: number;
  epochs?: number;
  batch?: number;
  batches?: number;
  logs?: Logs;
  epochDone?: boolean;
  elapsed?: number;
  done?: number;
  total?: number;
}

export interface TrainOptions {
  /** ImageClassifier.train(): epochs, learningRate, dropout and augment left unset are chosen by cross-validation. */
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Dropout before the head's Dense layer (train() only). */
  dropout?: number;
  validationSplit?: number;
  augment?: boolean;
  /** Views per image when augmenting (the plain image and random augmentations). */
  views?: number;
  /** train(): false takes fixed defaults (20 epochs, 1e-3, dropout 0.2, no augmentation) for what is unset. */
  autoTune?: boolean;
  /** Weight per class index; train() balances unbalanced classes by default. */
  classWeight?: Record<number, number>;
  seed?: number;
  callbacks?: Callback[];
  onProgress?: (progress: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface ImageVerdict {
  id: number;
  /** The key given to addExample, if any. */
  key?: unknown;
  image: ImageSource;
  label: string;
  predicted: string;
  /** Probability of the predicted class. */
  probability: number;
  /** Probability of the labelled class. */
  labelProbability: number;
}

export interface HeadSettings {
  epochs: number;
  learningRate: number;
  dropout: number;
  views: number;
  batchSize: number;
  classWeight: Record<number, number> | null;
  /** The names of the settings cross-validation chose (the others were given). */
  chosen: string[];
  /** Why nothing was chosen (too few images), when so. */
  reason?: string;
  crossValidation?: { folds: number; trialEpochs: number; loss: number; accuracy: number; candidates: { learningRate: number; dropout: number; views: number; epochs: number; loss: number; accuracy: number }[] };
}

export interface ImageClassifier {
  readonly backbone: Backbone;
  readonly classNames: string[];
  readonly inputSize: [number, number];
  readonly featureSize: number;
  /** Predictions, evaluation and the validation report average each image with its horizontal mirror (default: on wherever training flips, augmentation.flip). */
  readonly testTimeFlip: boolean;
  validationReport?: ClassificationReport;
  /** What the last train() used, and which of it cross-validation chose. */
  trainingSettings?: HeadSettings;
  /** One verdict per validation image of the last train() / fineTune() with a validation split (the confusion matrix's cells, image by image). */
  validationPredictions?: ImageVerdict[];
  /** Training images the model assigns to another class than their label, least likely label first (judged by cross-validation heads that did not see them). */
  possibleLabelMistakes(options?: { limit?: number }): ImageVerdict[];
  addExample(image: ImageSource, label: string, options?: { key?: unknown }): number;
  addExamples(images: Iterable<ImageSource>, label: string): number[];
  removeExample(id: number): void;
  train(options?: TrainOptions): Promise<History>;
  /** Unfreezes the top `layers` layers of the backbone; BatchNormalization stays in inference mode. */
  fineTune(options?: TrainOptions & { layers?: number }): Promise<History>;
  predict(image: ImageSource, options?: { topK?: number }): Promise<Prediction[]>;
  predictBatch(images: ImageSource[], options?: { topK?: number }): Promise<Prediction[][]>;
  evaluate(examples: { image: ImageSource; label: string }[]): Promise<ClassificationReport>;
  toModel(): LayersModel;
  metadata(): { classNames: string[]; imageSize: [number, number]; crop: string; testTimeFlip: boolean; backbone: string; cutLayer: string | string[]; localMaxPool: number };
  save(destination: string | ((artifacts: ModelArtifacts) => any)): Promise<any>;
  /** Frees the models and layers it made (and a backbone it loaded itself) at once. */
  dispose(): void;
}

export interface SavedImageClassifier {
  readonly model: LayersModel;
  readonly classNames: string[];
  /** As the classifier that saved it (metadata.testTimeFlip; false in saves that do not say). */
  readonly testTimeFlip: boolean;
  predict(image: ImageSource, options?: { topK?: number }): Promise<Prediction[]>;
  predictBatch(images: ImageSource[], options?: { topK?: number }): Promise<Prediction[][]>;
  evaluate(examples: { image: ImageSource; label: string }[], options?: { onProgress?: (p: TrainProgress) => void }): Promise<ClassificationReport>;
  /** model.json's userDefinedMetadata, with the class names used. */
  metadata(): { classNames: string[]; [key: string]: unknown };
  /** Frees the model at once. */
  dispose(): void;
}

export type ModelSource = string | URL | File[] | FileList | ModelArtifacts | { modelJson: string | object; weightData: ArrayBuffer | Uint8Array };

export interface Tanuki {
  tensor(values: TensorLike, shape?: Shape): Tensor;
  zeros(shape: Shape): Tensor;
  ones(shape: Shape): Tensor;
  randomUniform(shape: Shape, minval?: number, maxval?: number): Tensor;
  randomNormal(shape: Shape, mean?: number, stdDev?: number): Tensor;
  concat(tensors: Tensor[]): Tensor;
  setSeed(seed: number): void;
  input(args: { shape: ShapeWithBatch; name?: string }): SymbolicTensor;
  sequential(args?: { layers?: (Layer | SymbolicTensor)[]; name?: string }): Sequential;
  model(args: { inputs: SymbolicTensor | SymbolicTensor[]; outputs: SymbolicTensor; name?: string }): LayersModel;
  layers: LayerFactories;
  train: {
    sgd(learningRate?: LearningRate): Optimizer;
    momentum(learningRate: LearningRate, momentum: number, useNesterov?: boolean): Optimizer;
    adam(learningRate?: LearningRate, beta1?: number, beta2?: number, epsilon?: number): Optimizer;
    adamw(learningRate?: LearningRate, weightDecay?: number): Optimizer;
    rmsprop(learningRate?: LearningRate, rho?: number, momentum?: number, epsilon?: number): Optimizer;
  };
  optimizers: Record<'sgd' | 'adam' | 'adamw' | 'rmsprop', (args?: { learningRate?: LearningRate; [option: string]: unknown }) => Optimizer>;
  schedules: {
    exponentialDecay(args: { initialLearningRate: number; decaySteps: number; decayRate: number; staircase?: boolean }): LearningRate;
    cosineDecay(args: { initialLearningRate: number; decaySteps: number; alpha?: number }): LearningRate;
  };
  losses: { get(loss: LossSpec): Loss } & Record<Exclude<LossName, 'mse'>, (options?: { fromLogits?: boolean; labelSmoothing?: number }) => Loss>;
  /** keras.applications: pretrained ImageNet networks, downloaded once and cached. */
  applications: {
    mobileNetV2(options?: ApplicationOptions): Promise<LayersModel>;
    mobileNet(options?: ApplicationOptions): Promise<LayersModel>;
  };
  /** The backbones tk.loadBackbone(id) knows. */
  readonly backboneCatalog: readonly CatalogEntry[];
  callbacks: { earlyStopping(args?: ConstructorParameters<typeof EarlyStopping>[0]): EarlyStopping };
  metrics: Record<Exclude<MetricName, 'acc'>, () => Metric> & {
    classificationReport(probabilities: Float32Array, labels: number[], classNames: string[]): ClassificationReport;
    formatReport(report: ClassificationReport): string;
  };
  image: {
    /** [1, h, w, 3]; synchronous for every source but Blobs and Files. */
    decode(source: ImageSource, options?: DecodeOptions): Tensor;
    decodeAsync(source: ImageSource, options?: DecodeOptions): Promise<Tensor>;
  };
  data: {
    /** keras.utils.image_dataset_from_directory, in Node: DIR/<class>/*.{jpg,jpeg,png}. */
    imageDatasetFromDirectory(dir: string, options?: ImageDatasetOptions & { subset?: 'training' | 'validation' }): Promise<ImageDataset>;
    imageDatasetFromDirectory(dir: string, options: ImageDatasetOptions & { subset: 'both' }): Promise<[ImageDataset, ImageDataset]>;
    /** The same from Files/Blobs (or any image sources) per class name, for browsers. */
    imagesFromFiles(filesByClass: Record<string, Iterable<ImageSource>> | Map<string, Iterable<ImageSource>>, options?: ImageDatasetOptions & { subset?: 'training' | 'validation' }): Promise<ImageDataset>;
    imagesFromFiles(filesByClass: Record<string, Iterable<ImageSource>> | Map<string, Iterable<ImageSource>>, options: ImageDatasetOptions & { subset: 'both' }): Promise<[ImageDataset, ImageDataset]>;
    /** The labelled images of DIR/<class>/... without decoding them (Node): every sub-folder is a class, images at any depth, sorted. */
    listImageFolder(dir: string): { classNames: string[]; examples: { image: string; label: string }[] };
  };
  loadLayersModel(source: ModelSource, options?: {
    strict?: boolean;
    onProgress?: (fraction: number) => void;
    fetchOptions?: RequestInit;
    /** Where a weights file named in model.json really is (URL sources), as in TF.js. */
    weightUrlConverter?: (path: string) => string | Promise<string>;
    /** Keep downloaded files in the download cache and load from it next time (offline too). */
    cache?: boolean;
    /** Rebuild the model for another input size (fully convolutional models), as keras.applications' input_shape. */
    inputShape?: number[];
  }): Promise<LayersModel>;
  /** ONNX import: a functional model of Tanuki layers, NHWC ([batch, h, w, c] image inputs). */
  loadOnnxModel(source: string | URL | Blob | Uint8Array | ArrayBuffer, options?: {
    /** [h, w, c]: fixes the input's dynamic dimensions. */
    inputShape?: number[];
    /** Files holding initializers stored outside the .onnx file, by the location the model names. */
    externalData?: Record<string, Uint8Array | ArrayBuffer>;
    fetchOptions?: RequestInit;
  }): Promise<LayersModel>;
  /** TF.js graph-model import (model.json with "format": "graph-model"): a functional model of Tanuki layers. */
  loadGraphModel(source: ModelSource, options?: {
    /** [h, w, c]: fixes the input's dynamic dimensions. */
    inputShape?: number[];
    onProgress?: (fraction: number) => void;
    fetchOptions?: RequestInit;
    /** Where a weights file named in model.json really is (URL sources), as in TF.js. */
    weightUrlConverter?: (path: string) => string | Promise<string>;
  }): Promise<LayersModel>;
  /** Any model file Tanuki reads (layers-model or graph-model model.json, or ONNX), recognised by content. */
  loadModel(source: ModelSource | Blob | Uint8Array | ArrayBuffer, options?: Record<string, unknown>): Promise<LayersModel>;
  /** spec: 'bundled', a catalog id ('mobilenet_v2_0.35', see backboneCatalog), a model source tk.loadModel reads (layers or graph model.json, ONNX), or a model. */
  loadBackbone(spec?: 'bundled' | string | ModelSource | LayersModel, options?: {
    /** A layer, or several (comma-separated or a list) whose pooled activations are concatenated. */
    cutLayer?: string | string[];
    /** Each cut activation is max-pooled over this window (stride 1) before its global average. Default 3 for the bundled backbone, else 1 (none). */
    localMaxPool?: number;
    scale?: number;
    offset?: number;
    /** [h, w, 3]: the cut network rebuilt at another input size with the same weights (fully convolutional up to the cut). */
    inputShape?: [number, number, number];
    onProgress?: (fraction: number) => void;
  }): Promise<Backbone>;
  /** A saved classifier; chosen files may include classes.json. Rejects a model that does not take RGB images or has not one output per class. */
  loadClassifier(source: ModelSource): Promise<SavedImageClassifier>;
  ImageClassifier: {
    fromBackbone(spec?: 'bundled' | ModelSource | LayersModel, options?: { cutLayer?: string | string[]; localMaxPool?: number; scale?: number; offset?: number; classNames?: string[]; dropout?: number; crop?: 'center' | 'none'; augmentation?: { flip?: boolean; rotation?: number; zoom?: number; contrast?: number }; testTimeFlip?: boolean }): Promise<ImageClassifier>;
  };
  errors: { TanukiError: typeof TanukiError; ValueError: typeof ValueError; StateError: typeof StateError; FormatError: typeof FormatError; OutOfMemoryError: typeof OutOfMemoryError; TrainingDivergedError: typeof TrainingDivergedError };
  /** Threads the kernels split work over (1: the single-threaded build). */
  readonly threads: number;
  /** 'relaxed': the build with relaxed SIMD's fused multiply-add (see LoadOptions.simd); 'plain': WebAssembly SIMD 1.0. */
  readonly simd: 'relaxed' | 'plain';
  /**
   * Runs fn with the layer profiler on: where the time went, by layer class (or fused chain) and phase;
   * with byLayer, by layer too (`layer`: its name; a fused chain's is its convolution's).
   */
  profile<T>(fn: () => T | Promise<T>, options?: { byLayer?: boolean }): Promise<{
    result: T;
    entries: {
      what: string;
      layer?: string;
      phase: 'inference' | 'forward' | 'backward' | 'optimizer';
      seconds: number;
      calls: number;
    }[];
  }>;
  memory(): { heapBytes: number; usedBytes: number; liveHandles: number };
}

export interface LoadOptions {
  /** Where tanuki.mjs / tanuki.wasm are served from (CDNs, bundlers). */
  baseUrl?: string | URL;
  locateFile?: (file: string) => string;
  /**
   * A number: that many threads (the threaded build, which needs
   * SharedArrayBuffer: Node or a cross-origin isolated page); 'auto': one per
   * core where SharedArrayBuffer is available (the default); false: single-threaded.
   */
  threads?: 'auto' | number | false;
  /**
   * 'auto' (the default): the relaxed-SIMD build (fused multiply-add in the
   * GEMM and depthwise kernels) where the engine has relaxed SIMD and one
   * thread runs, else the plain SIMD build; 'relaxed': that build
   * (single-threaded), failing where the engine lacks relaxed SIMD; 'plain':
   * never it. Results agree to float rounding.
   */
  simd?: 'auto' | 'relaxed' | 'plain';
}

export function load(options?: LoadOptions): Promise<Tanuki>;
export const errors: Tanuki['errors'];
declare const tanuki: { load: typeof load; errors: Tanuki['errors'] };
export default tanuki;
