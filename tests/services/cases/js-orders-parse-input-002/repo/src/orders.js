'use strict';
// Order service: open orders, line items, totals and JSON import (prices in cents).

const PRICES = { widget: 1299, gadget: 2450, cable: 350 };

function cents(amount) {
  return `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}

class OrderBook {
  constructor() {
    this.orders = new Map();
    this.nextId = 1;
  }

  handle(line) {
    const [command = '', ...args] = line.trim().split(/\s+/);
    switch (command.toUpperCase()) {
      case 'CREATE':
        return args.length === 1 ? this.create(args[0]) : 'ERR usage: CREATE customer';
      case 'ADD':
        return args.length === 3 ? this.addItem(...args) : 'ERR usage: ADD order sku qty';
      case 'TOTAL':
        return args.length === 1 ? this.total(args[0]) : 'ERR usage: TOTAL order';
      case 'CLOSE':
        return args.length === 1 ? this.close(args[0]) : 'ERR usage: CLOSE order';
      case 'IMPORT':
        return this.importOrder(line.trim().slice(command.length).trim());
      default:
        return 'ERR usage: CREATE | ADD | TOTAL | CLOSE | IMPORT json';
    }
  }

  create(customer) {
    const id = `o${this.nextId++}`;
    this.orders.set(id, { id, customer, items: [], status: 'open' });
    return `CREATED ${id}`;
  }

  addItem(id, sku, qtyText) {
    const order = this.orders.get(id);
    if (!order) return 'ERR unknown order';
    if (order.status !== 'open') return `ERR order ${id} is ${order.status}`;
    const price = PRICES[sku];
    if (price === undefined) return 'ERR unknown sku';
    const qty = Number(qtyText);
    if (!Number.isInteger(qty) || qty <= 0) return 'ERR qty must be a positive integer';
    order.items.push({ sku, qty, price });
    return `OK ${order.items.length} items`;
  }

  total(id) {
    const order = this.orders.get(id);
    if (!order) return 'ERR unknown order';
    const sum = order.items.reduce((acc, item) => acc + item.qty * item.price, 0);
    return `TOTAL ${id} ${cents(sum)}`;
  }

  close(id) {
    const order = this.orders.get(id);
    if (!order) return 'ERR unknown order';
    order.status = 'closed';
    return `CLOSED ${id}`;
  }

  importOrder(text) {
    const data = JSON.parse(text);
    if (!data || typeof data.customer !== 'string' || !Array.isArray(data.items)) {
      return 'ERR expected {"customer": string, "items": [[sku, qty], ...]}';
    }
    const id = this.create(data.customer).split(' ')[1];
    for (const [sku, qty] of data.items) {
      const reply = this.addItem(id, sku, String(qty));
      if (reply.startsWith('ERR')) return reply;
    }
    return `IMPORTED ${id} ${this.orders.get(id).items.length} items`;
  }
}

module.exports = { OrderBook, cents };
