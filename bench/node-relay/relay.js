// A minimal Node.js relay for the maintainers' comparison (./workbook dev bench-node): every text a
// client sends goes to every open client, the sender too, as lesson 02's reference does. The `ws`
// package with its defaults (no permessage-deflate on a server), on 127.0.0.1 and the port given.
// Usage: node relay.js PORT    (after `npm ci` in this folder)
'use strict';
// tag::relay[]
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2]);
const server = new WebSocketServer({ host: '127.0.0.1', port });

server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    for (const client of server.clients) {
      if (client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: false });
      }
    }
  });
});
// end::relay[]

server.on('listening', () => console.log(`listening on 127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
