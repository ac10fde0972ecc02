'use strict';

// Bulk import of contact records into the CRM store.

function validate(record) {
  const errors = [];
  if (!record || typeof record !== 'object') return ['not an object'];
  if (!record.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(record.email)) errors.push('invalid email');
  if (record.name !== undefined && typeof record.name !== 'string') errors.push('name must be a string');
  return errors;
}

function normalize(record) {
  return {
    email: record.email.trim().toLowerCase(),
    name: (record.name || '').trim(),
  };
}

async function importAll(records, store) {
  const result = { imported: 0, invalid: 0, failed: 0 };
  records.forEach(async (record) => {
    if (validate(record).length > 0) {
      result.invalid += 1;
      return;
    }
    try {
      await store.save(normalize(record));
      result.imported += 1;
    } catch (err) {
      result.failed += 1;
    }
  });
  return result;
}

class MemoryStore {
  constructor() {
    this.rows = new Map();
  }

  async save(row) {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.rows.has(row.email)) throw new Error(`duplicate ${row.email}`);
    this.rows.set(row.email, row);
  }
}

module.exports = { importAll, validate, normalize, MemoryStore };
