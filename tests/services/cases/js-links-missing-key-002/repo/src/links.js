'use strict';
// Link shortener: short codes for http(s) URLs, redirects and hit statistics.

const crypto = require('node:crypto');

const CODE_LENGTH = 7;
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);

function shortCode(href) {
  return crypto.createHash('sha256').update(href).digest('base64url').slice(0, CODE_LENGTH);
}

class LinkShortener {
  constructor() {
    this.links = new Map();
    this.stats = {};
  }

  handle(line) {
    const [command = '', ...args] = line.trim().split(/\s+/);
    switch (command.toUpperCase()) {
      case 'SHORTEN':
        return args.length === 1 ? this.shorten(args[0]) : 'ERR usage: SHORTEN url';
      case 'RESOLVE':
        return args.length === 1 ? this.resolve(args[0]) : 'ERR usage: RESOLVE code';
      case 'STATS':
        return args.length === 1 ? this.statsFor(args[0]) : 'ERR usage: STATS code';
      case 'COUNT':
        return `COUNT ${this.links.size}`;
      default:
        return 'ERR usage: SHORTEN url | RESOLVE code | STATS code | COUNT';
    }
  }

  shorten(text) {
    let url;
    try {
      url = new URL(text);
    } catch {
      return 'ERR invalid url';
    }
    if (!ALLOWED_PROTOCOLS.has(url.protocol)) return `ERR unsupported scheme ${url.protocol}`;
    const code = shortCode(url.href);
    if (!this.links.has(code)) {
      this.links.set(code, url.href);
      this.stats[code] = { hits: 0, created: new Date().toISOString() };
    }
    return `SHORT ${code}`;
  }

  resolve(code) {
    const target = this.links.get(code);
    if (target === undefined) return 'NOT_FOUND';
    this.stats[code].hits += 1;
    return `REDIRECT ${target}`;
  }

  statsFor(code) {
    const entry = this.stats[code];
    return `STATS ${code} hits=${entry.hits}`;
  }
}

module.exports = { LinkShortener, shortCode };
