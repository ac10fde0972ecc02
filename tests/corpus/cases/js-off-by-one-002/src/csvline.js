'use strict';

// Small RFC-4180-ish CSV line parser for the import endpoint.

function parseCsvLine(line, sep = ',') {
  const fields = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const close = line.indexOf('"', j);
        if (close < 0) throw new SyntaxError(`unterminated quote at ${i}`);
        value += line.slice(j, close + 1);
        if (line[close + 1] === '"') {
          value += '"';
          j = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i < line.length && line[i] !== sep) {
        throw new SyntaxError(`unexpected character after quote at ${i}`);
      }
      i += 1;
    } else {
      let end = line.indexOf(sep, i);
      if (end < 0) end = line.length;
      fields.push(line.slice(i, end).trim());
      i = end + 1;
    }
  }
  return fields;
}

function parseCsv(text, sep = ',') {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const header = parseCsvLine(lines[0], sep);
  return lines.slice(1).map((l) => {
    const cells = parseCsvLine(l, sep);
    return Object.fromEntries(header.map((h, k) => [h, cells[k] ?? '']));
  });
}

module.exports = { parseCsvLine, parseCsv };
