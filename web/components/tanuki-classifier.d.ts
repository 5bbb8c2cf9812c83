// Types for the <tanuki-classifier> element (import 'tanuki/tanuki-classifier').
import type { Prediction } from '../../wasm/js/index.js';

export interface TanukiClassifierEventMap {
  progress: CustomEvent<{ phase: 'backbone' | 'features' | 'settings' | 'train'; fraction: number; done?: number; total?: number; epoch?: number; epochs?: number; logs?: Record<string, number> }>;
  trained: CustomEvent<{ classNames: string[]; epochs: number; logs: Record<string, number> }>;
  prediction: CustomEvent<{ name: string | null; predictions: Prediction[] }>;
  error: CustomEvent<{ message: string }>;
}

export class TanukiClassifier extends HTMLElement {
  /** From the `classes` attribute (comma-separated). */
  readonly classNames: string[];
  /** From the `epochs` attribute; undefined without one (then chosen by cross-validation). */
  readonly epochs: number | undefined;
  /** 'bundled', a catalog name (`backbone="mobilenet_v2_0.35"`), or the `backbone` attribute as an absolute URL. */
  readonly backbone: string;
  addImages(className: string, files: Iterable<Blob>): void;
  train(): Promise<TanukiClassifierEventMap['trained']['detail']>;
  predict(image: Blob): Promise<Prediction[]>;
  addEventListener<K extends keyof TanukiClassifierEventMap>(type: K, listener: (event: TanukiClassifierEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'tanuki-classifier': TanukiClassifier;
  }
}
