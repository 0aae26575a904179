import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A payment provider on loopback that can be taken down and brought back. */
export interface PaymentsServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Charges it has answered with 200. */
  readonly charges: number;
  /** Every request it received, answered or not. */
  readonly requests: number;
  /** While down, every request is answered 503. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** Starts the provider on 127.0.0.1 and a free port. */
export async function startPaymentsServer(): Promise<PaymentsServer> {
  let down = false;
  let charges = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    req.resume();
    if (down) {
      res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"error":"maintenance"}');
      return;
    }
    charges += 1;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: `TXN${String(charges)}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    get charges() {
      return charges;
    },
    get requests() {
      return requests;
    },
    setDown: (value) => {
      down = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
