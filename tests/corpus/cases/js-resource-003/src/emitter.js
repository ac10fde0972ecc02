'use strict';

// Minimal event emitter used by the websocket session layer.

class Emitter {
  constructor() {
    this.listeners = new Map();
  }

  on(event, fn) {
    if (!this.listeners.has(event)) this.listeners.set(event, []);
    this.listeners.get(event).push(fn);
    return this;
  }

  off(event, fn) {
    const list = this.listeners.get(event);
    if (!list) return this;
    const i = list.findIndex((l) => l === fn || l.original === fn);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.listeners.delete(event);
    return this;
  }

  once(event, fn) {
    const wrapper = (...args) => {
      fn(...args);
    };
    wrapper.original = fn;
    return this.on(event, wrapper);
  }

  emit(event, ...args) {
    const list = this.listeners.get(event);
    if (!list) return false;
    for (const fn of list.slice()) fn(...args);
    return true;
  }

  listenerCount(event) {
    return (this.listeners.get(event) || []).length;
  }

  waitFor(event) {
    return new Promise((resolve) => this.once(event, resolve));
  }
}

module.exports = { Emitter };
