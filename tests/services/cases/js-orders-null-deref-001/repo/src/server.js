'use strict';
// TCP front end of the order service: one request line in, one response line out.
//
// Usage: node src/server.js             serve on 127.0.0.1:$PORT
//        node src/server.js --replay F  run the request lines of file F through the same handler

const fs = require('node:fs');
const net = require('node:net');
const { OrderBook } = require('./orders');

function replay(path, service) {
  const lines = fs.readFileSync(path, 'utf8').split('\n');
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) continue;
    console.error(`request: ${line}`);
    console.log(service.handle(line));
  }
}

function serve(port, service) {
  const server = net.createServer((socket) => {
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      pending += chunk;
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        if (!line.trim()) continue;
        console.error(`request: ${line}`);
        socket.write(`${service.handle(line)}\n`);
      }
    });
  });
  server.listen(port, '127.0.0.1', () => console.error(`listening on ${port}`));
}

function main(argv) {
  const service = new OrderBook();
  if (argv.length === 2 && argv[0] === '--replay') {
    replay(argv[1], service);
    return;
  }
  serve(Number(process.env.PORT || 8080), service);
}

main(process.argv.slice(2));
