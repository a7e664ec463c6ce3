import { toDisposable, type Disposable } from '../disposable';

export type Listener<T> = (event: T) => void;
/** Subscribe; dispose the result to unsubscribe (the same shape as vscode.Event). */
export type Event<T> = (listener: Listener<T>) => Disposable;

/** A minimal event source for the core (which cannot use vscode.EventEmitter). */
export class Emitter<T> implements Disposable {
  private listeners = new Set<Listener<T>>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  };

  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // one failing listener must not starve the others
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
