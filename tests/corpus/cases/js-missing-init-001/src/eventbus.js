'use strict';

// In-process event bus used to decouple order processing steps.

class EventBus {
  constructor({ onError = null } = {}) {
    this.onError = onError;
    this.emitted = 0;
  }

  on(event, handler) {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    if (!this.handlers.has(event)) this.handlers.set(event, []);
    this.handlers.get(event).push(handler);
    return () => this.off(event, handler);
  }

  off(event, handler) {
    const list = this.handlers.get(event);
    if (!list) return false;
    const i = list.indexOf(handler);
    if (i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  emit(event, payload) {
    this.emitted += 1;
    const list = (this.handlers.get(event) || []).slice();
    let delivered = 0;
    for (const h of list) {
      try {
        h(payload);
        delivered += 1;
      } catch (err) {
        if (this.onError) this.onError(err, event);
        else throw err;
      }
    }
    return delivered;
  }

  listenerCount(event) {
    return (this.handlers.get(event) || []).length;
  }
}

module.exports = { EventBus };
