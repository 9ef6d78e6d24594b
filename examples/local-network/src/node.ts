import { bytesToUtf8, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { type Capability, type CapabilityStream, Server } from '@status-ts/devp2p';
import { Enr } from '@status-ts/enr';
import { createAccount, type StatusAccount } from '@status-ts/identity';

/** A greeting one node received from a peer. */
export interface Greeting {
  from: string;
  to: string;
  text: string;
}

/** One member of the demo network: a Status account plus a devp2p node on 127.0.0.1. */
export interface DemoNode {
  account: StatusAccount;
  server: Server;
  enr: Enr;
  greetings: Greeting[];
}

// A one-message capability: each side says hello when the link comes up. It stands in for waku/1 until
// the Waku layer joins the demo.
const GREETING_CODE = 0;

function greetingCapability(self: () => DemoNode, onGreeting: (g: Greeting) => void): Capability {
  return {
    name: 'greet',
    version: 1,
    length: 1,
    async attach(stream: CapabilityStream) {
      const me = self();
      await stream.send(GREETING_CODE, utf8ToBytes(me.account.name));
      for await (const message of stream.messages()) {
        if (message.code === GREETING_CODE) {
          onGreeting({ from: bytesToUtf8(message.payload), to: me.account.name, text: 'hello' });
        }
      }
    },
  };
}

/** Creates an account and a node key, starts a devp2p server on 127.0.0.1 and signs its ENR. */
export async function startDemoNode(onGreeting: (g: Greeting) => void = () => {}): Promise<DemoNode> {
  const nodeKey = generatePrivateKey();
  let node: DemoNode | undefined;
  const greetings: Greeting[] = [];
  const server = new Server({
    privateKey: nodeKey,
    host: '127.0.0.1',
    port: 0,
    clientId: 'status-ts/demo',
    capabilities: [
      greetingCapability(
        () => node!,
        (g) => {
          greetings.push(g);
          onGreeting(g);
        },
      ),
    ],
  });
  await server.start();
  const port = server.address!.port;
  const enr = Enr.create({ privateKey: nodeKey, seq: 1n, ip: '127.0.0.1', tcp: port, udp: port });
  node = { account: createAccount(), server, enr, greetings };
  return node;
}
