'use strict';

// Feature flag evaluation with percentage rollouts.

function hashString(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

class FeatureFlags {
  constructor(definitions = {}) {
    this.flags = new Map(Object.entries(definitions));
  }

  define(name, def) {
    this.flags.set(name, def);
  }

  isEnabled(name, user = null, fallback = false) {
    const flag = this.flags.get(name);
    if (!flag.enabled) {
      return false;
    }
    if (user && Array.isArray(flag.allow) && flag.allow.includes(user.id)) {
      return true;
    }
    if (typeof flag.rollout === 'number') {
      if (!user) return false;
      const bucket = hashString(`${name}:${user.id}`) % 100;
      return bucket < flag.rollout;
    }
    return true;
  }

  enabledFor(user) {
    return [...this.flags.keys()].filter((n) => this.isEnabled(n, user));
  }
}

module.exports = { FeatureFlags, hashString };
