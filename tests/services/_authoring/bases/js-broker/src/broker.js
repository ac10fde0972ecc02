'use strict';
// Message broker: topics with bounded retention, subscribers and replay of recent messages.

const RETENTION = 100;
const DEFAULT_TOPICS = ['orders', 'alerts', 'audit'];

class Broker {
  constructor(topics = DEFAULT_TOPICS) {
    this.topics = new Map();
    for (const name of topics) this.createTopic(name);
  }

  createTopic(name) {
    this.topics.set(name, { messages: [], subscribers: new Set(), lastSeq: 0 });
  }

  handle(line) {
    const [command = '', topic, ...rest] = line.trim().split(/\s+/);
    switch (command.toUpperCase()) {
      case 'PUB':
        return topic && rest.length ? this.publish(topic, rest.join(' ')) : 'ERR usage: PUB topic message';
      case 'SUB':
        return topic && rest.length === 1 ? this.subscribe(topic, rest[0]) : 'ERR usage: SUB topic client';
      case 'UNSUB':
        return topic && rest.length === 1 ? this.unsubscribe(topic, rest[0]) : 'ERR usage: UNSUB topic client';
      case 'PEEK':
        return topic && rest.length === 1 ? this.peek(topic, rest[0]) : 'ERR usage: PEEK topic count';
      case 'TOPICS':
        return ['TOPICS', ...[...this.topics.keys()].sort()].join(' ');
      default:
        return 'ERR usage: PUB | SUB | UNSUB | PEEK | TOPICS';
    }
  }

  publish(name, body) {
    const topic = this.topics.get(name);
    if (topic === undefined) return 'ERR unknown topic';
    topic.lastSeq += 1;
    topic.messages.push({ seq: topic.lastSeq, body });
    if (topic.messages.length > RETENTION) topic.messages.shift();
    return `PUBLISHED ${topic.lastSeq} subscribers=${topic.subscribers.size}`;
  }

  subscribe(name, client) {
    const topic = this.topics.get(name);
    if (topic === undefined) return 'ERR unknown topic';
    topic.subscribers.add(client);
    return `SUBSCRIBED ${client} ${name}`;
  }

  unsubscribe(name, client) {
    const topic = this.topics.get(name);
    if (topic === undefined || !topic.subscribers.has(client)) return 'NOT_SUBSCRIBED';
    topic.subscribers.delete(client);
    return `UNSUBSCRIBED ${client} ${name}`;
  }

  // The last `countText` messages of a topic, oldest first.
  peek(name, countText) {
    const topic = this.topics.get(name);
    if (topic === undefined) return 'ERR unknown topic';
    const count = Number(countText);
    if (!Number.isInteger(count) || count <= 0) return 'ERR count must be a positive integer';
    const start = Math.max(0, topic.messages.length - count);
    const shown = [];
    for (let i = start; i < topic.messages.length; i++) {
      shown.push(`${topic.messages[i].seq}:${topic.messages[i].body}`);
    }
    return ['MESSAGES', ...shown].join(' ');
  }
}

module.exports = { Broker, RETENTION };
